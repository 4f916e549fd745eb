/**
 * Decayed per-(combination, pool) state the models need: EWMA of duration and failure rate over
 * FINISHED builds (in the arrival order of the pool's partition), last failure time, last N durations.
 */
import type { BuildEvent } from '../../ingest/index.js';
import { combinationKey } from './entities.js';

/** One row of `combination_state` (without `updated_at`, derived when written). */
export interface CombinationState {
  combination_key: string;
  combination: string[];
  pool: string;
  /** Grows with every update (the source's running count of applied events). */
  version: number;
  builds: number;
  failures: number;
  ewma_duration_ms: number;
  ewma_failure_rate: number;
  last_build_time_ms: number;
  /** 0 when the combination never failed in this pool. */
  last_failure_time_ms: number;
  last_durations_ms: number[];
}

/** EWMA settings. */
export interface EwmaSettings {
  alpha: number;
  lastN: number;
}

/** State key of a build's (combination, pool). */
export function combinationStateKey(ev: Pick<BuildEvent, 'combination' | 'pool'>): string {
  return JSON.stringify([ev.pool, ev.combination]);
}

/**
 * Folds a FINISHED build into `prev` (undefined: first build). CANCELLED builds count as builds but
 * move neither EWMA; a null duration leaves the duration EWMA as it is.
 */
export function updateCombinationState(
  prev: CombinationState | undefined,
  ev: BuildEvent,
  version: number,
  settings: EwmaSettings,
): CombinationState {
  const s: CombinationState = prev
    ? { ...prev, last_durations_ms: [...prev.last_durations_ms] }
    : {
        combination_key: combinationKey(ev.combination),
        combination: [...ev.combination],
        pool: ev.pool,
        version: 0,
        builds: 0,
        failures: 0,
        ewma_duration_ms: 0,
        ewma_failure_rate: 0,
        last_build_time_ms: 0,
        last_failure_time_ms: 0,
        last_durations_ms: [],
      };
  const a = settings.alpha;
  const first = s.builds === 0;
  s.version = version;
  s.builds += 1;
  s.last_build_time_ms = Math.max(s.last_build_time_ms, ev.event_time);
  if (ev.status !== 'CANCELLED') {
    const failed = ev.status === 'FAILED' || ev.status === 'ERRORED';
    if (failed) {
      s.failures += 1;
      s.last_failure_time_ms = Math.max(s.last_failure_time_ms, ev.event_time);
    }
    s.ewma_failure_rate = first ? (failed ? 1 : 0) : a * (failed ? 1 : 0) + (1 - a) * s.ewma_failure_rate;
  }
  if (ev.duration_ms !== null && ev.status !== 'CANCELLED') {
    s.ewma_duration_ms = s.last_durations_ms.length === 0 ? ev.duration_ms : a * ev.duration_ms + (1 - a) * s.ewma_duration_ms;
    s.last_durations_ms.push(ev.duration_ms);
    if (s.last_durations_ms.length > settings.lastN) s.last_durations_ms.splice(0, s.last_durations_ms.length - settings.lastN);
  }
  return s;
}
