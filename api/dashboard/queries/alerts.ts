/**
 * Alerts from the anomaly detectors (`alerts`): the latest state of each alert, firing first, with
 * the evidence that made it fire. Evidence may be stored as parallel key/value arrays or as JSON text.
 */
import type { ClickHouseClient } from '../../../sinks/index.js';
import { ident, raw, sql } from '../../../sinks/index.js';
import { queryRows, type Catalog } from '../catalog.js';
import type { AlertView } from '../types.js';
import { num, num0, str, tableRef } from './columns.js';

/** How many alerts the page lists. */
export const ALERT_LIMIT = 50;

/** Latest alerts; undefined when the table does not exist. */
export async function readAlerts(clickhouse: ClickHouseClient, catalog: Catalog): Promise<AlertView[] | undefined> {
  const table = 'alerts';
  if (!catalog.has(table)) return undefined;
  const timeCol = catalog.pick(table, ['event_time_ms', 'event_time', 'updated_at', 'started_at_ms', 'started_at']);
  const order = timeCol ? sql`ORDER BY ${ident(timeCol)} DESC` : raw('');
  const final = catalog.type(table, 'version') || catalog.type(table, 'updated_at') ? raw('FINAL') : raw('');
  const rows = await queryRows<Record<string, unknown>>(
    clickhouse,
    sql`SELECT * FROM ${tableRef(catalog, table)} ${final} ${order} LIMIT 500`,
  );
  // One row per alert id (latest first), then firing before resolved.
  const seen = new Set<string>();
  const alerts: AlertView[] = [];
  for (const r of rows) {
    const view = toAlertView(r);
    const key = view.alert_id || `${view.detector}/${view.entity}/${view.metric}/${view.started_at}`;
    if (seen.has(key)) continue;
    seen.add(key);
    alerts.push(view);
  }
  alerts.sort(
    (a, b) => Number(b.state.toUpperCase() === 'FIRING') - Number(a.state.toUpperCase() === 'FIRING') || b.event_time - a.event_time,
  );
  return alerts.slice(0, ALERT_LIMIT);
}

/** Maps a row of the alerts table (any of the stored shapes) to the page's alert (exported for tests). */
export function toAlertView(r: Record<string, unknown>): AlertView {
  return {
    alert_id: str(r.alert_id),
    detector: str(r.detector),
    entity_type: str(r.entity_type),
    entity: str(r.entity ?? r.pool),
    metric: str(r.metric),
    severity: str(r.severity),
    state: str(r.state),
    score: num0(r.score),
    value: num0(r.value),
    expected_low: num0(r.expected_low),
    expected_high: num0(r.expected_high),
    started_at: num(r.started_at_ms) ?? num0(r.started_at),
    event_time: num(r.event_time_ms) ?? num(r.event_time) ?? num(r.updated_at) ?? 0,
    evidence: evidenceOf(r),
  };
}

function evidenceOf(r: Record<string, unknown>): Record<string, string> {
  const keys = r.evidence_keys;
  const values = r.evidence_values;
  if (Array.isArray(keys) && Array.isArray(values)) return Object.fromEntries(keys.map((k, i) => [str(k), str(values[i])]));
  const ev = r.evidence;
  if (typeof ev === 'string' && ev.startsWith('{')) {
    try {
      const parsed = JSON.parse(ev) as unknown;
      if (parsed && typeof parsed === 'object') return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, str(v)]));
    } catch (err) {
      return { evidence: ev, parse_error: err instanceof Error ? err.message : String(err) };
    }
  }
  return typeof ev === 'string' && ev ? { evidence: ev } : {};
}
