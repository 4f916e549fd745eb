/**
 * Alertmanager webhook payload (version 4) for one alert state change, so any receiver written for
 * Prometheus Alertmanager (PagerDuty bridges, chat bots) accepts Pulse alerts unchanged.
 */
import type { Alert } from '../../ingest/index.js';

/** One alert inside the payload. */
export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** The webhook body Alertmanager POSTs. */
export interface AlertmanagerPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
}

/** Alertmanager's zero time, used as `endsAt` of a firing alert. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(6);
}

/** Builds the payload for one alert event. */
export function toAlertmanagerPayload(alert: Alert, options: { receiver?: string; externalURL?: string } = {}): AlertmanagerPayload {
  const status = alert.state === 'FIRING' ? 'firing' : 'resolved';
  const labels: Record<string, string> = {
    alertname: `pulse_${alert.detector}`,
    severity: alert.severity.toLowerCase(),
    detector: alert.detector,
    entity_type: alert.entity_type,
    entity: alert.entity,
    metric: alert.metric,
    alert_key: alert.alert_key,
  };
  const annotations: Record<string, string> = {
    summary: `${alert.detector} on ${alert.entity_type} ${alert.entity} (${alert.metric})`,
    description: `value ${fmt(alert.value)} outside expected [${fmt(alert.expected_low)}, ${fmt(alert.expected_high)}], score ${alert.score.toFixed(3)}`,
    value: fmt(alert.value),
    expected_low: fmt(alert.expected_low),
    expected_high: fmt(alert.expected_high),
    score: alert.score.toFixed(4),
    ...Object.fromEntries(Object.entries(alert.evidence).map(([k, v]) => [`evidence_${k}`, v])),
  };
  return {
    version: '4',
    groupKey: `{}:{alert_key="${alert.alert_key}"}`,
    truncatedAlerts: 0,
    status,
    receiver: options.receiver ?? 'factory-pulse',
    groupLabels: { alert_key: alert.alert_key },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: options.externalURL ?? '',
    alerts: [
      {
        status,
        labels,
        annotations,
        startsAt: new Date(alert.started_at).toISOString(),
        endsAt: alert.state === 'RESOLVED' ? new Date(alert.event_time).toISOString() : ZERO_TIME,
        generatorURL: '',
        fingerprint: alert.alert_id,
      },
    ],
  };
}
