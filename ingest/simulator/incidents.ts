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
  /**
   * What changes, explicitly: `{ slowdown: 3..5 }` (cache latencies and layer times × slowdown, CPU
   * +15 points), `{ remoteHitRate: 0 }` (remote cache lookups time out, ~2.5 s), `{ dispatch: 0 }`
   * (nothing leaves the queue), `{ extraFailureRate: 0.6, appliesToRunning: 1 }` (each build started
   * during the burst fails with +60 % probability — 70 % of them as `infra` errors — and each build
   * already running when it begins gets that chance once, at its next layer step, as an infra error).
   */
  effect: Record<string, number>;
}

const KINDS: readonly IncidentKind[] = ['slow_executor', 'cache_outage', 'failure_burst', 'stuck_queue'];
const MINUTE = 60_000;
/** Least time between two incidents of one kind on one entity. */
const SAME_KIND_GAP = 30 * MINUTE;

/**
 * Plans incidents over [startMs, endMs): each kind at least once, one more per 4 virtual hours,
 * lasting 10–40 minutes (at most a fifth of the range), starting after the first tenth of the range.
 * Two incidents of one kind on one entity are at least 30 minutes apart (overlapping, the second would
 * have no effect of its own — the simulator applies the first active one; a few minutes apart, they
 * are one incident with a blip, not two to detect), and nothing overlaps a stuck queue of the same pool
 * (no build runs there, so a cache outage, failure burst or slow executor would show nothing); such a
 * draw is repeated for another entity or time. `poolOf` maps executors to pools (default: name prefix).
 */
export function planIncidents(
  rng: Rng,
  startMs: number,
  endMs: number,
  pools: readonly string[],
  executors: readonly string[],
  poolOf: (executor: string) => string = (e) => e.replace(/-exec-\d+$/, ''),
): Incident[] {
  const range = endMs - startMs;
  const perKind = 1 + Math.floor(range / (4 * 60 * MINUTE));
  const out: Incident[] = [];
  const poolOfIncident = (i: Incident): string => (i.entityType === 'executor' ? poolOf(i.entity) : i.entity);
  const within = (a: Incident, b: Incident, gapMs: number): boolean => a.startMs < b.endMs + gapMs && b.startMs < a.endMs + gapMs;
  const overlaps = (c: Incident): boolean =>
    out.some(
      (o) =>
        (o.kind === c.kind && o.entity === c.entity && within(o, c, SAME_KIND_GAP)) ||
        ((o.kind === 'stuck_queue' || c.kind === 'stuck_queue') && poolOfIncident(o) === poolOfIncident(c) && within(o, c, MINUTE)),
    );
  for (const kind of KINDS) {
    for (let i = 0; i < perKind; i++) {
      let candidate = drawIncident(rng, kind, startMs, range, pools, executors);
      for (let attempt = 0; attempt < 20 && overlaps(candidate); attempt++)
        candidate = drawIncident(rng, kind, startMs, range, pools, executors);
      if (!overlaps(candidate)) out.push(candidate);
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs || a.kind.localeCompare(b.kind));
}

function drawIncident(
  rng: Rng,
  kind: IncidentKind,
  startMs: number,
  range: number,
  pools: readonly string[],
  executors: readonly string[],
): Incident {
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
          ? { extraFailureRate: 0.6, appliesToRunning: 1 }
          : { dispatch: 0 };
  return { kind, entityType: onExecutor ? 'executor' : 'pool', entity, startMs: from, endMs: from + length, effect };
}

/** The incidents of a kind active on an entity at a time. */
export function activeIncident(incidents: readonly Incident[], kind: IncidentKind, entity: string, atMs: number): Incident | undefined {
  return incidents.find((i) => i.kind === kind && i.entity === entity && i.startMs <= atMs && atMs < i.endMs);
}
