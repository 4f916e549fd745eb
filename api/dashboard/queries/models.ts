/**
 * Model versions from the models' registry (`model_versions`) and their evaluation metrics. Metrics
 * may be stored as JSON text, as parallel key/value arrays, or as numeric columns.
 */
import type { ClickHouseClient } from '../../../sinks/index.js';
import { ident, raw, sql } from '../../../sinks/index.js';
import { queryRows, type Catalog } from '../catalog.js';
import type { ModelView } from '../types.js';
import { num, str, tableRef } from './columns.js';

/** How many model versions the page lists. */
export const MODEL_LIMIT = 20;

const ID_COLUMNS = new Set([
  'feature_version',
  'version',
  'model_version',
  'model',
  'model_name',
  'name',
  'target',
  'kind',
  'status',
  'stage',
  'active',
]);
const TIME_COLUMNS = ['created_at_ms', 'created_at', 'trained_at', 'registered_at', 'updated_at_ms', 'updated_at'];

/** Latest model versions; undefined when the table does not exist. */
export async function readModels(clickhouse: ClickHouseClient, catalog: Catalog): Promise<ModelView[] | undefined> {
  const table = 'model_versions';
  if (!catalog.has(table)) return undefined;
  const timeCol = catalog.pick(table, TIME_COLUMNS);
  const order = timeCol ? sql`ORDER BY ${ident(timeCol)} DESC` : raw('');
  const rows = await queryRows<Record<string, unknown>>(
    clickhouse,
    sql`SELECT * FROM ${tableRef(catalog, table)} ${catalog.type(table, 'version') ? raw('FINAL') : raw('')} ${order} LIMIT ${MODEL_LIMIT}`,
  );
  return rows.map((r) => toModelView(r, timeCol));
}

/** Maps a row of the registry (any of the stored shapes) to the page's model (exported for tests). */
export function toModelView(r: Record<string, unknown>, timeCol: string | undefined): ModelView {
  const created = timeCol ? r[timeCol] : undefined;
  let createdMs = num(created);
  if (createdMs === null && typeof created === 'string') createdMs = Date.parse(`${created.replace(' ', 'T')}Z`) || null;
  else if (createdMs !== null && createdMs < 1e11) createdMs *= 1000;
  const active = r.active === undefined ? undefined : num(r.active) === 1 ? 'active' : 'inactive';
  return {
    version: str(r.version ?? r.model_version),
    model: str(r.model ?? r.model_name ?? r.name ?? r.target ?? r.kind),
    created_at: createdMs,
    status: str(r.status ?? r.stage ?? active),
    metrics: metricsOf(r, timeCol),
  };
}

function metricsOf(r: Record<string, unknown>, timeCol: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (Array.isArray(r.metric_keys) && Array.isArray(r.metric_values)) {
    const values = r.metric_values as unknown[];
    r.metric_keys.forEach((k, i) => {
      const v = num(values[i]);
      if (v !== null) out[str(k)] = v;
    });
  }
  const text = r.metrics ?? r.metrics_json;
  if (typeof text === 'string' && text.startsWith('{')) {
    try {
      for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, unknown>)) {
        const n = num(v);
        if (n !== null) out[k] = n;
      }
    } catch {
      // Shown as a metric so an unreadable registry row is visible instead of silently empty.
      out.metrics_unreadable = 1;
    }
  }
  for (const [k, v] of Object.entries(r)) {
    if (ID_COLUMNS.has(k) || k === timeCol || /_at(_ms)?$/.test(k) || k === 'metrics' || k === 'metric_values') continue;
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return out;
}
