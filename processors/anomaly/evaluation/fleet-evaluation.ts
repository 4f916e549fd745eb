/**
 * Evaluation on the fleet simulator: for each seed, a run with injected incidents and a quiet run of
 * the same length, replayed through exactly the streaming path (observations → minute windows →
 * fleet monitor) without Kafka. Reports, per seed and overall, the incidents alerted within the limit
 * (two 5-minute windows by default), the delays, side-effect and unexplained alerts, and the alerts of
 * the quiet run.
 */
import { createFleetSimulation, type Alert, type AnyEvent } from '../../../ingest/index.js';
import { InputError } from '../../../common/errors.js';
import { createObservationMapper } from '../stream/event-observations.js';
import { createFleetMonitor } from '../stream/fleet-monitor.js';
import { createMinuteAggregator } from '../stream/minute-aggregator.js';
import { matchIncidents, type IncidentMatch } from './incident-matching.js';

/** Options of {@link evaluateFleet}. */
export interface FleetEvaluationOptions {
  seeds: readonly number[];
  hours: number;
  pools?: number;
  executorsPerPool?: number;
  /** Detection limit after an incident starts (default 2 × 5-minute windows). */
  limitMs?: number;
  allowedLatenessMs?: number;
}

/** Delay statistics in minutes (one decimal). */
export interface DelayMinutes {
  p50: number;
  max: number;
}

/** One seed's result. */
export interface FleetSeedResult {
  seed: number;
  incidents: number;
  detectedWithinLimit: number;
  delayMinutes: DelayMinutes;
  /** Alerts on another metric or entity of a pool with an incident (e.g. every executor's lookups during an outage). */
  sideEffectAlerts: number;
  /** Alerts of the run with incidents that no incident on that pool explains. */
  unexplainedAlerts: number;
  /** Alerts (FIRING) of the quiet run of the same seed and length. */
  quietRunAlerts: number;
}

/** Result over all seeds. */
export interface FleetEvaluation {
  limitMs: number;
  hours: number;
  incidents: number;
  detectedWithinLimit: number;
  detectedAtAll: number;
  delayMinutes: DelayMinutes;
  alertsWithIncidents: number;
  sideEffectAlerts: number;
  unexplainedAlerts: number;
  quietRunAlerts: number;
  /** Per incident kind: count, alerted within the limit, delays. */
  byKind: Record<string, { incidents: number; detectedWithinLimit: number; delayMinutes: DelayMinutes }>;
  perSeed: FleetSeedResult[];
  perIncident: Array<IncidentMatch & { seed: number }>;
}

/** Replays events (in order) through the streaming detection path and returns the alert events. */
export function replayEvents(events: Iterable<AnyEvent>, allowedLatenessMs = 30_000): Alert[] {
  const aggregator = createMinuteAggregator({ allowedLatenessMs });
  const mapper = createObservationMapper();
  const monitor = createFleetMonitor({ producerId: 'fleet-evaluation' });
  const alerts: Alert[] = [];
  for (const e of events) {
    aggregator.add(e.value.event_time, mapper(e));
    for (const snap of aggregator.advance()) alerts.push(...monitor.observe(snap));
  }
  return alerts;
}

/** Parses a seed list: `7`, `1-12` or `1,3,5-8` (at most 500 seeds); InputError naming `flag` otherwise. */
export function parseSeeds(text: string, flag = '--fleet-seeds'): number[] {
  const seeds: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const from = Number(m?.[1]);
    const to = m?.[2] === undefined ? from : Number(m[2]);
    if (!m || !Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from || to - from >= 500)
      throw new InputError(flag, `"${part}" is not a seed or a range like 1-12`);
    for (let s = from; s <= to; s++) seeds.push(s);
  }
  if (seeds.length > 500) throw new InputError(flag, `${seeds.length} seeds; at most 500`);
  return seeds;
}

function delayStats(matches: readonly IncidentMatch[]): DelayMinutes {
  const delays = matches
    .map((i) => i.delayMs)
    .filter((d): d is number => d !== undefined)
    .sort((a, b) => a - b);
  const minutes = (ms: number | undefined): number => Math.round(((ms ?? 0) / 60_000) * 10) / 10;
  return { p50: minutes(delays[delays.length >> 1]), max: minutes(delays[delays.length - 1]) };
}

/** Runs the evaluation. */
export function evaluateFleet(options: FleetEvaluationOptions, progress: (m: string) => void = () => undefined): FleetEvaluation {
  const limitMs = options.limitMs ?? 600_000;
  const perIncident: FleetEvaluation['perIncident'] = [];
  const perSeed: FleetSeedResult[] = [];
  let firing = 0;
  for (const seed of options.seeds) {
    const base = {
      seed,
      pools: options.pools ?? 3,
      executorsPerPool: options.executorsPerPool ?? 3,
      startMs: Date.UTC(2026, 0, 5, 8),
      durationMs: options.hours * 3_600_000,
    };
    const noisy = createFleetSimulation({ ...base, anomalies: true });
    const alerts = replayEvents(noisy.events() as Iterable<AnyEvent>, options.allowedLatenessMs);
    const m = matchIncidents(alerts, noisy.truth().incidents, limitMs);
    perIncident.push(...m.incidents.map((i) => ({ ...i, seed })));
    firing += m.firing;
    const calm = createFleetSimulation({ ...base, anomalies: false });
    const quietAlerts = replayEvents(calm.events() as Iterable<AnyEvent>, options.allowedLatenessMs).filter((a) => a.state === 'FIRING');
    const row: FleetSeedResult = {
      seed,
      incidents: m.incidents.length,
      detectedWithinLimit: m.detected,
      delayMinutes: delayStats(m.incidents),
      sideEffectAlerts: m.sideEffects.length,
      unexplainedAlerts: m.unexplained.length,
      quietRunAlerts: quietAlerts.length,
    };
    perSeed.push(row);
    progress(
      `fleet seed ${seed}: ${row.detectedWithinLimit}/${row.incidents} incidents alerted within ${limitMs / 60_000} min ` +
        `(max delay ${row.delayMinutes.max} min), quiet run ${row.quietRunAlerts} alerts`,
    );
  }
  const byKind: FleetEvaluation['byKind'] = {};
  for (const kind of [...new Set(perIncident.map((i) => i.kind))].sort()) {
    const of = perIncident.filter((i) => i.kind === kind);
    byKind[kind] = { incidents: of.length, detectedWithinLimit: of.filter((i) => i.detected).length, delayMinutes: delayStats(of) };
  }
  const total = (k: 'sideEffectAlerts' | 'unexplainedAlerts' | 'quietRunAlerts'): number => perSeed.reduce((a, r) => a + r[k], 0);
  return {
    limitMs,
    hours: options.hours,
    incidents: perIncident.length,
    detectedWithinLimit: perIncident.filter((i) => i.detected).length,
    detectedAtAll: perIncident.filter((i) => i.delayMs !== undefined).length,
    delayMinutes: delayStats(perIncident),
    alertsWithIncidents: firing,
    sideEffectAlerts: total('sideEffectAlerts'),
    unexplainedAlerts: total('unexplainedAlerts'),
    quietRunAlerts: total('quietRunAlerts'),
    byKind,
    perSeed,
    perIncident,
  };
}
