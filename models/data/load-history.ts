/**
 * The history `pulse train` and `pulse evaluate` work on: given records (a history CSV) or ClickHouse
 * `build_events` — either way the latest `limit` builds finished since `sinceMs`, sorted by start.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { sortByStart } from '../features/replay.js';
import type { HistoryRecord } from '../features/types.js';
import { readClickHouseHistory } from './clickhouse-history.js';

/** The latest `limit` records finished at or after `sinceMs`, sorted by start (what the ClickHouse reader returns). */
export function latestFinished(records: readonly HistoryRecord[], sinceMs: number | undefined, limit: number): HistoryRecord[] {
  const kept = records.filter((r) => sinceMs === undefined || r.started_at + r.duration_ms >= sinceMs);
  kept.sort((a, b) => a.started_at + a.duration_ms - (b.started_at + b.duration_ms));
  return sortByStart(kept.slice(Math.max(0, kept.length - limit)));
}

/** Where {@link loadHistory} reads: `records` when given, else `database`.build_events. */
export interface HistorySource {
  records?: readonly HistoryRecord[];
  clickhouse: ClickHouseClient;
  database: string;
  sinceMs?: number;
  limit: number;
}

/** Loads the history from its source. */
export function loadHistory(s: HistorySource): Promise<HistoryRecord[]> {
  if (s.records) return Promise.resolve(latestFinished(s.records, s.sinceMs, s.limit));
  return readClickHouseHistory(s.clickhouse, {
    database: s.database,
    ...(s.sinceMs !== undefined ? { sinceMs: s.sinceMs } : {}),
    limit: s.limit,
  });
}
