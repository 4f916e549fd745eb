/**
 * Predicted build duration per pool and window, drawn against the actual p50/p95: for the builds that
 * FINISHED in a window (the same builds the actual percentiles come from), the median of the duration
 * the online scorer predicted for them (`predictions.duration_p50_ms`, the earliest prediction per build).
 */
import type { ClickHouseClient } from '../../../sinks/index.js';
import { sql } from '../../../sinks/index.js';
import { queryRows, type Catalog } from '../catalog.js';
import type { Point } from '../types.js';
import { num, num0, tableRef } from './columns.js';

/** Predictions are looked up this far before the first window (builds queue and run before they finish). */
const PREDICTION_LOOKBACK_MS = 6 * 3600_000;

/** True when the tables and columns the query needs exist. */
export function canReadPredicted(catalog: Catalog): boolean {
  return (
    ['build_id', 'pool', 'predicted_at_ms', 'duration_p50_ms'].every((c) => catalog.type('predictions', c) !== undefined) &&
    ['build_id', 'type', 'event_time', 'ts'].every((c) => catalog.type('build_events', c) !== undefined)
  );
}

/** Median predicted duration per pool per window over [from, to]; empty when predictions are not there. */
export async function readPredictedDurations(
  clickhouse: ClickHouseClient,
  catalog: Catalog,
  from: number,
  to: number,
  windowMs: number,
): Promise<Map<string, Point[]>> {
  const out = new Map<string, Point[]>();
  if (!canReadPredicted(catalog)) return out;
  const end = to + windowMs;
  const rows = await queryRows<{ pool: string; t: string; v: number | string | null }>(
    clickhouse,
    sql`SELECT pool, intDiv(finished_ms, ${windowMs}) * ${windowMs} AS t, quantile(0.5)(predicted_ms) AS v
        FROM (
          SELECT build_id, max(event_time) AS finished_ms
          FROM ${tableRef(catalog, 'build_events')}
          WHERE type = 'FINISHED' AND ts >= toDateTime(${Math.floor(from / 1000)}) AND event_time >= ${from} AND event_time < ${end}
          GROUP BY build_id
        )
        ALL INNER JOIN (
          SELECT build_id, any(pool) AS pool, argMin(duration_p50_ms, predicted_at_ms) AS predicted_ms
          FROM ${tableRef(catalog, 'predictions')}
          WHERE predicted_at_ms >= ${from - PREDICTION_LOOKBACK_MS} AND predicted_at_ms < ${end}
          GROUP BY build_id
        ) USING build_id
        GROUP BY pool, t
        ORDER BY pool, t`,
  );
  for (const r of rows) {
    let pts = out.get(r.pool);
    if (!pts) out.set(r.pool, (pts = []));
    pts.push({ t: num0(r.t), v: num(r.v) });
  }
  return out;
}
