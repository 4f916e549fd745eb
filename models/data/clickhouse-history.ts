/**
 * Reads finished builds from ClickHouse `build_events` (written by the processors part: one row per
 * QUEUED/STARTED/FINISHED event; `feature_names`/`feature_values` hold the features map) as history
 * records, one per build, sorted by start time.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { ident, sql } from '../../sinks/index.js';
import type { HistoryRecord, OutcomeStatus } from '../features/types.js';

/** Options of {@link readClickHouseHistory}. */
export interface ClickHouseHistoryOptions {
  database: string;
  /** Only builds finished at or after this time (ms). */
  sinceMs?: number;
  /** Only builds finished before this time (ms). */
  untilMs?: number;
  /** Keep the latest `limit` builds. */
  limit?: number;
}

interface Row {
  build_id: string;
  h_pool: string;
  h_arch: string;
  h_executor: string | null;
  h_combination: string[];
  h_queued_at: string;
  h_queued: string;
  h_started_at: string;
  h_started: string;
  h_finished_at: string;
  h_duration_ms: string | null;
  h_status: string | null;
  h_queue_wait_ms: string | null;
  h_feature_names: string[];
  h_feature_values: number[];
}

const STATUSES = new Set<OutcomeStatus>(['PASSED', 'FAILED', 'ERRORED', 'CANCELLED']);

/** Converts one aggregated row; undefined when it is not a usable finished build. */
export function rowToHistory(r: Row): HistoryRecord | undefined {
  const finished = Number(r.h_finished_at);
  const status = r.h_status as OutcomeStatus | null;
  if (status === null || !STATUSES.has(status)) return undefined;
  const duration = r.h_duration_ms === null ? NaN : Number(r.h_duration_ms);
  const startedAt = Number(r.h_started) > 0 ? Number(r.h_started_at) : finished - duration;
  const dur = Number.isFinite(duration) ? duration : finished - startedAt;
  if (!Number.isFinite(startedAt) || !Number.isFinite(dur) || dur < 0) return undefined;
  let queuedAt: number | null = Number(r.h_queued) > 0 ? Number(r.h_queued_at) : null;
  if (queuedAt === null && r.h_queue_wait_ms !== null) queuedAt = startedAt - Number(r.h_queue_wait_ms);
  if (queuedAt !== null && queuedAt > startedAt) queuedAt = startedAt;
  const features: Record<string, number> = {};
  r.h_feature_names.forEach((n, i) => {
    const v = r.h_feature_values[i];
    if (v !== undefined && Number.isFinite(v)) features[n] = v;
  });
  return {
    build_id: r.build_id,
    pool: r.h_pool,
    arch: r.h_arch || 'amd64',
    executor: r.h_executor,
    combination: r.h_combination,
    queued_at: queuedAt,
    started_at: startedAt,
    duration_ms: dur,
    status,
    features,
  };
}

/** Reads finished builds (oldest first). */
export async function readClickHouseHistory(clickhouse: ClickHouseClient, o: ClickHouseHistoryOptions): Promise<HistoryRecord[]> {
  const table = ident(`${o.database}.build_events`);
  const since = o.sinceMs ?? 0;
  const until = o.untilMs ?? Number.MAX_SAFE_INTEGER;
  const limit = Math.max(1, Math.floor(o.limit ?? 1_000_000));
  const query = sql`
    SELECT * FROM (
      SELECT build_id,
        anyIf(pool, type = 'FINISHED') AS h_pool,
        anyIf(arch, type = 'FINISHED') AS h_arch,
        anyIf(executor, type != 'QUEUED') AS h_executor,
        anyIf(combination, type = 'FINISHED') AS h_combination,
        minIf(event_time, type = 'QUEUED') AS h_queued_at,
        countIf(type = 'QUEUED') AS h_queued,
        minIf(event_time, type = 'STARTED') AS h_started_at,
        countIf(type = 'STARTED') AS h_started,
        maxIf(event_time, type = 'FINISHED') AS h_finished_at,
        anyIf(duration_ms, type = 'FINISHED') AS h_duration_ms,
        anyIf(status, type = 'FINISHED') AS h_status,
        anyIf(queue_wait_ms, queue_wait_ms IS NOT NULL) AS h_queue_wait_ms,
        anyIf(feature_names, notEmpty(feature_names)) AS h_feature_names,
        anyIf(feature_values, notEmpty(feature_names)) AS h_feature_values
      FROM ${table}
      WHERE build_id IN (
        SELECT build_id FROM ${table} WHERE type = 'FINISHED' AND event_time >= ${since} AND event_time < ${until}
        ORDER BY event_time DESC LIMIT ${limit}
      )
      GROUP BY build_id
    ) ORDER BY h_finished_at`;
  const rs = await clickhouse.query({ query: query.text, format: 'JSONEachRow' });
  const out: HistoryRecord[] = [];
  for (const r of await rs.json<Row>()) {
    const h = rowToHistory(r);
    if (h) out.push(h);
  }
  return out.sort((a, b) => a.started_at - b.started_at || (a.build_id < b.build_id ? -1 : 1));
}
