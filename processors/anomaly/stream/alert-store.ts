/** Writes alert state changes into the ClickHouse `alerts` table (migration 0400), idempotently. */
import type { ClickHouseClient } from '@clickhouse/client';
import { SinkWriteError } from '../../../common/errors.js';
import type { Alert } from '../../../ingest/index.js';

/** Stores alerts. */
export interface AlertStore {
  insert(alerts: readonly Alert[]): Promise<void>;
}

/** The row written for one alert event (ReplacingMergeTree key: alert_id, state). */
export function alertRow(a: Alert): Record<string, unknown> {
  const keys = Object.keys(a.evidence).sort();
  return {
    alert_id: a.alert_id,
    alert_key: a.alert_key,
    detector: a.detector,
    entity_type: a.entity_type,
    entity: a.entity,
    metric: a.metric,
    severity: a.severity,
    state: a.state,
    score: a.score,
    value: a.value,
    expected_low: a.expected_low,
    expected_high: a.expected_high,
    started_at_ms: a.started_at,
    event_time_ms: a.event_time,
    event_time: Math.floor(a.event_time / 1000),
    evidence_keys: keys,
    evidence_values: keys.map((k) => a.evidence[k] ?? ''),
    version: a.event_time,
  };
}

/** Creates the store for `database`. Throws a retriable SinkWriteError when the insert fails. */
export function createAlertStore(deps: { clickhouse: ClickHouseClient; database: string }): AlertStore {
  const table = `${deps.database}.alerts`;
  return {
    async insert(alerts) {
      if (alerts.length === 0) return;
      try {
        await deps.clickhouse.insert({ table, values: alerts.map(alertRow), format: 'JSONEachRow' });
      } catch (err) {
        throw new SinkWriteError(table, (err as Error).message, { cause: err });
      }
    },
  };
}
