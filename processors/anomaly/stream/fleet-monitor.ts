/**
 * The pure heart of the streaming processor: closed minutes in, alert state changes out. Keeps one
 * detector and one alert lifecycle per (entity, metric) channel; no I/O, deterministic, so a replay
 * of the same events produces the same alerts (alert ids derive from key and start time).
 */
import { createHash } from 'node:crypto';
import type { Alert } from '../../../ingest/index.js';
import { round4 } from '../detectors/score.js';
import { createAlertLifecycle, type AlertLifecycle, type AlertTransition, type LifecycleOptions } from '../lifecycle.js';
import { CHANNELS, type ChannelPoint, type ChannelRunner, type ChannelSpec } from './channels.js';
import type { MinuteSnapshot } from './minute-aggregator.js';

/** Options of {@link createFleetMonitor}. */
export interface FleetMonitorOptions {
  /** `producer_id` of the alert events. */
  producerId: string;
  lifecycle?: LifecycleOptions;
  /** Channels to run (default: all of {@link CHANNELS}). */
  channels?: readonly ChannelSpec[];
  /** Window size, for the alert's event time (default 60 000 ms). */
  windowMs?: number;
}

/** The monitor. */
export interface FleetMonitor {
  /** Scores one closed minute of one entity; returns the alert events it caused. */
  observe(snap: MinuteSnapshot): Alert[];
  /** Number of channels (series) being tracked. */
  readonly series: number;
  /** Alerts currently firing. */
  readonly firing: number;
}

/** Stable 16-hex alert id for a key and start time. */
export function alertId(alertKey: string, startedAt: number): string {
  return createHash('sha256').update(`${alertKey}|${startedAt}`).digest('hex').slice(0, 16);
}

function toAlert(
  spec: ChannelSpec,
  entity: string,
  tr: AlertTransition,
  cp: ChannelPoint,
  o: { producerId: string; seq: number; windowMs: number },
): Alert {
  const alertKey = `${tr.detector}/${spec.entityType}/${entity}/${spec.metric}`;
  const id = alertId(alertKey, tr.startedAt);
  const top = Object.entries(tr.point.components)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, v]) => `${k}=${round4(v)}`)
    .join(',');
  return {
    event_id: `${id}:${tr.state}`,
    event_time: tr.at + o.windowMs,
    producer_id: o.producerId,
    seq: o.seq,
    alert_id: id,
    alert_key: alertKey,
    detector: tr.detector,
    entity_type: spec.entityType,
    entity,
    metric: spec.metric,
    severity: tr.severity,
    state: tr.state,
    score: round4(tr.point.score),
    value: cp.value,
    expected_low: tr.point.expectedLow,
    expected_high: tr.point.expectedHigh,
    started_at: tr.startedAt,
    evidence: {
      ...cp.evidence,
      window_start: new Date(tr.at).toISOString(),
      expected: String(round4(tr.point.expected)),
      peak_score: String(round4(tr.peakScore)),
      components: top,
      points: String(tr.points),
    },
  };
}

/** Creates an empty monitor. */
export function createFleetMonitor(options: FleetMonitorOptions): FleetMonitor {
  const channels = options.channels ?? CHANNELS;
  const windowMs = options.windowMs ?? 60_000;
  const state = new Map<string, { runner: ChannelRunner; lifecycle: AlertLifecycle }>();
  let seq = 0;
  return {
    get series() {
      return state.size;
    },
    get firing() {
      let n = 0;
      for (const s of state.values()) if (s.lifecycle.firing) n++;
      return n;
    },
    observe(snap) {
      const out: Alert[] = [];
      for (const spec of channels) {
        if (spec.entityType !== snap.entityType) continue;
        const key = `${spec.entityType}/${snap.entity}/${spec.metric}`;
        let s = state.get(key);
        if (!s) state.set(key, (s = { runner: spec.create(), lifecycle: createAlertLifecycle(options.lifecycle) }));
        const cp = s.runner(snap);
        if (!cp) continue;
        const tr = s.lifecycle.step(snap.minute, cp.value, cp.point);
        if (tr) out.push(toAlert(spec, snap.entity, tr, cp, { producerId: options.producerId, seq: ++seq, windowMs }));
      }
      return out;
    },
  };
}
