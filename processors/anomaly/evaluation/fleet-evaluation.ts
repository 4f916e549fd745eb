/**
 * Evaluation on the fleet simulator: for each seed, a run with injected incidents and a quiet run of
 * the same length, replayed through exactly the streaming path (observations → minute windows →
 * fleet monitor) without Kafka. Reports detected incidents, delays, unexplained and quiet-run alerts.
 */
import { createFleetSimulation, type Alert, type AnyEvent } from '../../../ingest/index.js';
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

/** Result over all seeds. */
export interface FleetEvaluation {
  limitMs: number;
  incidents: number;
  detectedWithinLimit: number;
  detectedAtAll: number;
  delayMinutes: { p50: number; max: number };
  alertsWithIncidents: number;
  unexplainedAlerts: number;
  quietRunAlerts: number;
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

/** Runs the evaluation. */
export function evaluateFleet(options: FleetEvaluationOptions, progress: (m: string) => void = () => undefined): FleetEvaluation {
  const limitMs = options.limitMs ?? 600_000;
  const perIncident: FleetEvaluation['perIncident'] = [];
  let alertsWithIncidents = 0;
  let unexplained = 0;
  let quiet = 0;
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
    alertsWithIncidents += m.firing;
    unexplained += m.unexplained.length;
    const calm = createFleetSimulation({ ...base, anomalies: false });
    const quietAlerts = replayEvents(calm.events() as Iterable<AnyEvent>, options.allowedLatenessMs).filter((a) => a.state === 'FIRING');
    quiet += quietAlerts.length;
    progress(
      `fleet seed ${seed}: ${m.detected}/${m.incidents.length} incidents within ${limitMs / 60_000} min, quiet run ${quietAlerts.length} alerts`,
    );
  }
  const delays = perIncident
    .map((i) => i.delayMs)
    .filter((d): d is number => d !== undefined)
    .sort((a, b) => a - b);
  const minutes = (ms: number | undefined): number => Math.round(((ms ?? 0) / 60_000) * 10) / 10;
  return {
    limitMs,
    incidents: perIncident.length,
    detectedWithinLimit: perIncident.filter((i) => i.detected).length,
    detectedAtAll: delays.length,
    delayMinutes: { p50: minutes(delays[delays.length >> 1]), max: minutes(delays[delays.length - 1]) },
    alertsWithIncidents,
    unexplainedAlerts: unexplained,
    quietRunAlerts: quiet,
    perIncident,
  };
}
