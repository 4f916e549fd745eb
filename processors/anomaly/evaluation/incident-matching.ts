/**
 * Matches alert events against the fleet simulator's injected incidents: an incident counts as
 * detected when an alert on its entity AND on a metric that incident kind affects (see
 * {@link RELEVANT_METRICS}) is firing within `limitMs` of its start (fired then, or already firing
 * from an overlapping incident). A latency alert does not "detect" a stuck queue on the same pool.
 * Firing alerts that match no incident that way (entity, metric, [start, end + limitMs]) are side
 * effects when an incident was on the same pool then (an outage slows every executor's lookups),
 * else "unexplained" (false alarms).
 */
import type { Alert } from '../../../ingest/index.js';

/** The part of a simulator incident the matcher needs. */
export interface IncidentTruth {
  kind: string;
  entity: string;
  startMs: number;
  endMs: number;
}

/**
 * Metrics (alert `metric`) that show each incident kind; kinds not listed accept any metric.
 * A slow executor: its excess CPU, build durations and cache latencies. A cache outage: the pool's
 * hit ratio, slow or timed-out lookups and (built instead of pulled) build durations. A failure
 * burst: the pool's build failure or infrastructure error rate. A stuck queue: the pool's queue.
 */
export const RELEVANT_METRICS: Readonly<Record<string, readonly string[]>> = {
  slow_executor: ['cpu_excess', 'build_duration_residual', 'slow_cache_lookups'],
  cache_outage: ['cache_hit_ratio', 'slow_cache_lookups', 'cache_lookup_timeouts', 'build_duration_residual'],
  failure_burst: ['build_failure_rate', 'build_error_rate'],
  stuck_queue: ['queue_depth'],
};

/** Whether an alert on `metric` can be caused by an incident of `kind`. */
export function relevantMetric(kind: string, metric: string): boolean {
  const list = RELEVANT_METRICS[kind];
  return list === undefined || list.includes(metric);
}

/** Per-incident result. */
export interface IncidentMatch {
  kind: string;
  entity: string;
  startMs: number;
  detected: boolean;
  /** Delay to the first alert firing on the entity (ms), also when later than the limit. */
  delayMs?: number;
  detector?: string;
  metric?: string;
}

/** Matching summary. */
export interface MatchResult {
  incidents: IncidentMatch[];
  detected: number;
  firing: number;
  /** Alerts on another metric or entity of a pool with an incident at the time. */
  sideEffects: Alert[];
  unexplained: Alert[];
}

/** Pool of an entity of the fleet simulator (executors are named `<pool>-exec-NN`). */
export function simulatorPoolOf(entity: string): string {
  return entity.replace(/-exec-\d+$/, '');
}

/** Compares alerts with incidents; `poolOf` maps an alert or incident entity to its pool. */
export function matchIncidents(
  alerts: readonly Alert[],
  incidents: readonly IncidentTruth[],
  limitMs: number,
  poolOf: (entity: string) => string = simulatorPoolOf,
): MatchResult {
  const firings = alerts.filter((a) => a.state === 'FIRING');
  const resolvedAt = new Map<string, number>();
  for (const a of alerts) if (a.state === 'RESOLVED') resolvedAt.set(a.alert_id, a.event_time);
  const matches: IncidentMatch[] = incidents.map((inc) => {
    const onEntity = firings.filter((a) => a.entity === inc.entity && relevantMetric(inc.kind, a.metric));
    const already = onEntity.find((a) => a.event_time < inc.startMs && (resolvedAt.get(a.alert_id) ?? Infinity) > inc.startMs);
    const next = onEntity
      .filter((a) => a.event_time >= inc.startMs && a.event_time <= inc.endMs + limitMs)
      .sort((x, y) => x.event_time - y.event_time)[0];
    const hit = already ?? next;
    const delayMs = already ? 0 : next ? next.event_time - inc.startMs : undefined;
    return {
      kind: inc.kind,
      entity: inc.entity,
      startMs: inc.startMs,
      detected: delayMs !== undefined && delayMs <= limitMs,
      delayMs,
      detector: hit?.detector,
      metric: hit?.metric,
    };
  });
  const during = (a: Alert, i: IncidentTruth): boolean => a.event_time >= i.startMs && a.event_time <= i.endMs + limitMs;
  const direct = (a: Alert): boolean => incidents.some((i) => i.entity === a.entity && relevantMetric(i.kind, a.metric) && during(a, i));
  const samePool = (a: Alert): boolean => incidents.some((i) => poolOf(i.entity) === poolOf(a.entity) && during(a, i));
  const indirect = firings.filter((a) => !direct(a));
  return {
    incidents: matches,
    detected: matches.filter((m) => m.detected).length,
    firing: firings.length,
    sideEffects: indirect.filter(samePool),
    unexplained: indirect.filter((a) => !samePool(a)),
  };
}
