/**
 * Matches alert events against the fleet simulator's injected incidents: an incident counts as
 * detected when an alert on its entity is firing within `limitMs` of its start (fired then, or
 * already firing from an overlapping incident). Alerts on no incident's entity during any incident
 * (+ `limitMs`) are "unexplained".
 */
import type { Alert } from '../../../ingest/index.js';

/** The part of a simulator incident the matcher needs. */
export interface IncidentTruth {
  kind: string;
  entity: string;
  startMs: number;
  endMs: number;
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
  unexplained: Alert[];
}

/** Compares alerts with incidents. */
export function matchIncidents(alerts: readonly Alert[], incidents: readonly IncidentTruth[], limitMs: number): MatchResult {
  const firings = alerts.filter((a) => a.state === 'FIRING');
  const resolvedAt = new Map<string, number>();
  for (const a of alerts) if (a.state === 'RESOLVED') resolvedAt.set(a.alert_id, a.event_time);
  const matches: IncidentMatch[] = incidents.map((inc) => {
    const onEntity = firings.filter((a) => a.entity === inc.entity);
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
  const explained = (a: Alert): boolean => incidents.some((i) => a.event_time >= i.startMs && a.event_time <= i.endMs + limitMs);
  return {
    incidents: matches,
    detected: matches.filter((m) => m.detected).length,
    firing: firings.length,
    unexplained: firings.filter((a) => !explained(a)),
  };
}
