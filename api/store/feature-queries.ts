/** Pool features (`pool_features_<window>` of the processors) and combination trends (raw build events). */
import { ident, raw, sql, joinSql, type ClickHouseClient, type SqlFragment } from '../../sinks/index.js';
import { num, numOrNull, selectRows } from './query.js';
import type { CombinationTrend, FeatureQuery, FeatureWindow, PoolFeatureRow, TrendQuery } from './types.js';

const TABLES: Record<FeatureWindow, string> = { '1m': 'pool_features_1m', '5m': 'pool_features_5m', '1h': 'pool_features_1h' };

const COLUMNS = raw(
  'pool, toUInt64(window_start) * 1000 AS window_start_ms, builds_finished, builds_failed, duration_p50_ms, duration_p95_ms, ' +
    'queue_wait_p95_ms, cache_hits, cache_misses, cpu_util_avg',
);

interface RawFeature {
  pool: string;
  window_start_ms: string;
  builds_finished: string;
  builds_failed: string;
  duration_p50_ms: number | null;
  duration_p95_ms: number | null;
  queue_wait_p95_ms: number | null;
  cache_hits: string;
  cache_misses: string;
  cpu_util_avg: number | null;
}

function toRow(r: RawFeature): PoolFeatureRow {
  return {
    pool: r.pool,
    window_start: num(r.window_start_ms),
    builds_finished: num(r.builds_finished),
    builds_failed: num(r.builds_failed),
    duration_p50_ms: numOrNull(r.duration_p50_ms),
    duration_p95_ms: numOrNull(r.duration_p95_ms),
    queue_wait_p95_ms: numOrNull(r.queue_wait_p95_ms),
    cache_hits: num(r.cache_hits),
    cache_misses: num(r.cache_misses),
    cpu_util_avg: numOrNull(r.cpu_util_avg),
  };
}

function where(conds: SqlFragment[]): SqlFragment {
  return conds.length === 0 ? raw('') : sql`WHERE ${joinSql(conds, ' AND ')}`;
}

/** Feature queries over one database. */
export function featureQueries(client: ClickHouseClient, database: string) {
  const db = ident(database);
  return {
    async poolFeatures(q: FeatureQuery): Promise<PoolFeatureRow[]> {
      const conds: SqlFragment[] = [];
      if (q.pool !== undefined) conds.push(sql`pool = ${q.pool}`);
      if (q.from !== undefined) conds.push(sql`window_start >= toDateTime(${Math.floor(q.from / 1000)})`);
      if (q.to !== undefined) conds.push(sql`window_start < toDateTime(${Math.ceil(q.to / 1000)})`);
      const query = sql`SELECT ${COLUMNS} FROM ${db}.${ident(TABLES[q.window])} FINAL ${where(conds)}
        ORDER BY window_start DESC LIMIT ${q.limit}`;
      return (await selectRows<RawFeature>(client, query)).map(toRow);
    },
    async latestPoolFeatures(window: FeatureWindow, pool?: string): Promise<PoolFeatureRow[]> {
      const table = ident(TABLES[window]);
      const filter = pool === undefined ? raw('') : sql`WHERE pool = ${pool}`;
      const query = sql`SELECT ${COLUMNS} FROM ${db}.${table} FINAL
        WHERE (pool, window_start) IN (SELECT pool, max(window_start) FROM ${db}.${table} ${filter} GROUP BY pool)
        ORDER BY pool`;
      return (await selectRows<RawFeature>(client, query)).map(toRow);
    },
    async combinationTrends(q: TrendQuery): Promise<CombinationTrend[]> {
      const since = Date.now() - q.sinceMs;
      const mid = since + Math.floor(q.sinceMs / 2);
      const conds: SqlFragment[] = [sql`type = 'FINISHED'`, sql`event_time >= ${since}`];
      if (q.pool !== undefined) conds.push(sql`pool = ${q.pool}`);
      if (q.module !== undefined) conds.push(sql`position(arrayStringConcat(combination, ';'), ${q.module}) > 0`);
      const query = sql`SELECT arrayStringConcat(combination, ';') AS combo, pool, count() AS builds,
          countIf(status IN ('FAILED', 'ERRORED')) AS failures, quantile(0.5)(duration_ms) AS p50,
          quantileIf(0.5)(duration_ms, event_time < ${mid}) AS p50_first, quantileIf(0.5)(duration_ms, event_time >= ${mid}) AS p50_second,
          countIf(event_time < ${mid}) AS n_first, countIf(event_time >= ${mid}) AS n_second
        FROM ${db}.build_events FINAL ${where(conds)}
        GROUP BY combo, pool ORDER BY builds DESC, combo LIMIT ${q.limit}`;
      const rows = await selectRows<{
        combo: string;
        pool: string;
        builds: string;
        failures: string;
        p50: number | null;
        p50_first: number | null;
        p50_second: number | null;
        n_first: string;
        n_second: string;
      }>(client, query);
      return rows.map((r) => {
        const first = num(r.n_first) > 0 ? numOrNull(r.p50_first) : null;
        const second = num(r.n_second) > 0 ? numOrNull(r.p50_second) : null;
        const builds = num(r.builds);
        return {
          combination: r.combo,
          pool: r.pool,
          builds,
          failures: num(r.failures),
          failure_rate: builds > 0 ? num(r.failures) / builds : 0,
          duration_p50_ms: builds > 0 ? numOrNull(r.p50) : null,
          duration_change: first !== null && second !== null && first > 0 ? second / first - 1 : null,
        };
      });
    },
  };
}
