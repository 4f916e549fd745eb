/**
 * Per-pool time series from the processors' feature tables (`pool_features_<window>`, read with
 * FINAL): throughput, queue wait p95, build duration p50/p95, failure rate, cache hit ratio and
 * running slots. The range ends at the latest window in the table, so replayed or backfilled
 * history shows the same way as live data.
 */
import type { ClickHouseClient } from '../../../sinks/index.js';
import { ident, raw, sql } from '../../../sinks/index.js';
import { queryRows, type Catalog } from '../catalog.js';
import type { RangeSpec } from '../ranges.js';
import type { PoolView, SeriesId } from '../types.js';
import { msExpr, num, num0, str, tableRef } from './columns.js';

/** Feature rows of the range, grouped by pool, with the time bounds actually covered. */
export interface PoolSeriesResult {
  table: string;
  pools: PoolView[];
  /** First and last window start in the result (ms), null when there are no rows. */
  from: number | null;
  to: number | null;
}

/** Optional columns: the series they feed, and the column names the processors may use. */
const OPTIONAL: readonly { key: string; candidates: readonly string[] }[] = [
  { key: 'builds_finished', candidates: ['builds_finished'] },
  { key: 'builds_failed', candidates: ['builds_failed'] },
  { key: 'duration_p50_ms', candidates: ['duration_p50_ms'] },
  { key: 'duration_p95_ms', candidates: ['duration_p95_ms'] },
  { key: 'queue_wait_p95_ms', candidates: ['queue_wait_p95_ms'] },
  { key: 'cache_hits', candidates: ['cache_hits'] },
  { key: 'cache_misses', candidates: ['cache_misses'] },
  { key: 'failure_rate', candidates: ['failure_rate'] },
  { key: 'cache_hit_ratio', candidates: ['cache_hit_ratio'] },
  { key: 'slots_running', candidates: ['running_slots_avg', 'slots_running'] },
  { key: 'slots_available', candidates: ['available_slots_avg', 'slots_available'] },
];

/** Name of the feature table for a range. */
export function featureTable(range: RangeSpec): string {
  return `pool_features_${range.window}`;
}

/** Reads the series of every pool over `range`; undefined when the feature table does not exist. */
export async function readPoolSeries(
  clickhouse: ClickHouseClient,
  catalog: Catalog,
  range: RangeSpec,
): Promise<PoolSeriesResult | undefined> {
  const table = featureTable(range);
  if (!catalog.has(table) || !catalog.type(table, 'pool') || !catalog.type(table, 'window_start')) return undefined;
  const present = OPTIONAL.flatMap((o) => {
    const col = catalog.pick(table, o.candidates);
    return col ? [{ key: o.key, col }] : [];
  });
  const t = msExpr(catalog, table, 'window_start');
  const select = present.map((p) => `${ident(p.col).text} AS ${ident(p.key).text}`).join(', ');
  const isDateTime = (catalog.type(table, 'window_start') ?? '').includes('DateTime');
  const span = isDateTime ? Math.round(range.spanMs / 1000) : range.spanMs;
  const ref = tableRef(catalog, table);
  const rows = await queryRows<Record<string, unknown>>(
    clickhouse,
    sql`SELECT pool, ${t} AS t${raw(select ? `, ${select}` : '')}
        FROM ${ref} FINAL
        WHERE window_start > (SELECT max(window_start) FROM ${ref}) - ${span}
        ORDER BY pool, t
        LIMIT 50000`,
  );
  const byPool = new Map<string, PoolView>();
  let from: number | null = null;
  let to: number | null = null;
  for (const r of rows) {
    const pool = str(r.pool);
    const ts = num0(r.t);
    from = from === null ? ts : Math.min(from, ts);
    to = to === null ? ts : Math.max(to, ts);
    let view = byPool.get(pool);
    if (!view) {
      view = { pool, series: {}, totals: { builds_finished: 0, builds_failed: 0, cache_hits: 0, cache_misses: 0 } };
      byPool.set(pool, view);
    }
    addRow(view, ts, r, new Set(present.map((p) => p.key)));
  }
  return { table, pools: [...byPool.values()], from, to };
}

function push(view: PoolView, id: SeriesId, t: number, v: number | null): void {
  (view.series[id] ??= []).push({ t, v });
}

/** Adds one feature row to a pool's series and totals (exported for unit tests). */
export function addRow(view: PoolView, t: number, r: Record<string, unknown>, has: ReadonlySet<string>): void {
  const finished = num(r.builds_finished);
  const failed = num(r.builds_failed);
  const hits = num(r.cache_hits);
  const misses = num(r.cache_misses);
  view.totals.builds_finished += finished ?? 0;
  view.totals.builds_failed += failed ?? 0;
  view.totals.cache_hits += hits ?? 0;
  view.totals.cache_misses += misses ?? 0;
  if (has.has('builds_finished')) push(view, 'throughput', t, finished);
  if (has.has('queue_wait_p95_ms')) push(view, 'queue_wait_p95_ms', t, num(r.queue_wait_p95_ms));
  if (has.has('duration_p50_ms')) push(view, 'duration_p50_ms', t, finished ? num(r.duration_p50_ms) : null);
  if (has.has('duration_p95_ms')) push(view, 'duration_p95_ms', t, finished ? num(r.duration_p95_ms) : null);
  // Ratios as the processors stored them (failure_rate = failed / (finished - cancelled)), else derived.
  if (has.has('failure_rate')) push(view, 'failure_rate', t, num(r.failure_rate));
  else if (has.has('builds_finished') && has.has('builds_failed'))
    push(view, 'failure_rate', t, finished ? Math.min(1, (failed ?? 0) / finished) : null);
  if (has.has('cache_hit_ratio')) push(view, 'cache_hit_ratio', t, num(r.cache_hit_ratio));
  else if (has.has('cache_hits') && has.has('cache_misses')) {
    const total = (hits ?? 0) + (misses ?? 0);
    push(view, 'cache_hit_ratio', t, total > 0 ? (hits ?? 0) / total : null);
  }
  if (has.has('slots_running')) push(view, 'slots_running', t, num(r.slots_running));
  if (has.has('slots_available')) push(view, 'slots_available', t, num(r.slots_available));
}
