/** Injected incidents (ground truth for anomaly detection): what, where, when. */
import type { Rng } from './rng.js';

/** Kinds of injected incidents. */
export type IncidentKind = 'slow_executor' | 'cache_outage' | 'failure_burst' | 'stuck_queue';

/** One injected incident. */
export interface Incident {
  kind: IncidentKind;
  entityType: 'executor' | 'pool';
  /** Executor or pool name. */
  entity: string;
  startMs: number;
  endMs: number;
  /** What changes, e.g. `{ slowdown: 3 }` or `{ extraFailureRate: 0.5 }`. */
  effect: Record<string, number>;
}

const KINDS: readonly IncidentKind[] = ['slow_executor', 'cache_outage', 'failure_burst', 'stuck_queue'];
const MINUTE = 60_000;

/**
 * Plans incidents over [startMs, endMs): each kind at least once, one more per 4 virtual hours,
 * lasting 10–40 minutes (at most a fifth of the range), starting after the first tenth of the range.
 */
export function planIncidents(
  rng: Rng,
  startMs: number,
  endMs: number,
  pools: readonly string[],
  executors: readonly string[],
): Incident[] {
  const range = endMs - startMs;
  const perKind = 1 + Math.floor(range / (4 * 60 * MINUTE));
  const out: Incident[] = [];
  for (const kind of KINDS) {
    for (let i = 0; i < perKind; i++) {
      const length = Math.min(rng.int(10, 40) * MINUTE, Math.floor(range / 5));
      const from = startMs + Math.floor(range / 10) + Math.floor(rng.next() * Math.max(1, range * 0.9 - length - range / 10));
      const onExecutor = kind === 'slow_executor';
      const entity = onExecutor ? rng.pick(executors) : rng.pick(pools);
      const effect: Record<string, number> =
        kind === 'slow_executor'
          ? { slowdown: 3 + rng.int(0, 2) }
          : kind === 'cache_outage'
            ? { remoteHitRate: 0 }
            : kind === 'failure_burst'
              ? { extraFailureRate: 0.6 }
              : { dispatch: 0 };
      out.push({ kind, entityType: onExecutor ? 'executor' : 'pool', entity, startMs: from, endMs: from + length, effect });
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs || a.kind.localeCompare(b.kind));
}

/** The incidents of a kind active on an entity at a time. */
export function activeIncident(incidents: readonly Incident[], kind: IncidentKind, entity: string, atMs: number): Incident | undefined {
  return incidents.find((i) => i.kind === kind && i.entity === entity && i.startMs <= atMs && atMs < i.endMs);
}
