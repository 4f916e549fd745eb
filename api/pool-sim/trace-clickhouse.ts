/**
 * Demand trace from ClickHouse history: FINISHED rows of `build_events` (arrival = event_time −
 * duration_ms − queue_wait_ms) and the layer hits each build had in `cache_events`. A recorded duration
 * includes the cache's help, so the cold time is estimated from the hit share h of the build's lookups:
 * cold = duration / (1 − (1 − fixedShare)·h·(1 − hitCostRatio)), split over the items by catalogue weights.
 */
import type { ClickHouseClient } from '../../sinks/index.js';
import { ident, sql } from '../../sinks/index.js';
import { InputError } from '../../common/errors.js';
import { sortTrace, layersOf, splitColdTime, type Trace, type TraceJob } from './trace.js';

/** A time range [fromMs, toMs). */
export interface TimeRange {
  fromMs: number;
  toMs: number;
}

const when = (s: string): number => {
  if (/^\d+$/.test(s)) return Number(s);
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new InputError('--from-clickhouse', `"${s}" is neither ms since epoch nor an ISO time`);
  return t;
};

/**
 * Parses `FROM..TO` (ISO times or ms since epoch) or a look-back `7d` / `12h` / `30m` (ending now).
 */
export function parseTimeRange(text: string, nowMs: number): TimeRange {
  const back = /^(\d+)([dhm])$/.exec(text.trim());
  if (back) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[back[2] as 'd' | 'h' | 'm'];
    return { fromMs: nowMs - Number(back[1]) * unit, toMs: nowMs };
  }
  const parts = text.split('..');
  if (parts.length !== 2) throw new InputError('--from-clickhouse', `"${text}" is not FROM..TO or a look-back like 7d`);
  const r = { fromMs: when(parts[0] ?? ''), toMs: when(parts[1] ?? '') };
  if (!(r.toMs > r.fromMs)) throw new InputError('--from-clickhouse', `"${text}": TO must be after FROM`);
  return r;
}

/** Options of {@link loadClickHouseTrace}. */
export interface ClickHouseTraceOptions {
  client: ClickHouseClient;
  database: string;
  range: TimeRange;
  pool?: string;
  fixedShare?: number;
  hitCostRatio?: number;
  /** Upper bound on jobs read. Default 2 000 000. */
  limit?: number;
}

interface BuildRow {
  build_id: string;
  pool: string;
  combination: string[];
  event_time: string;
  duration_ms: string;
  queue_wait_ms: string | null;
}

/** Reads the trace; an empty range is an InputError. */
export async function loadClickHouseTrace(o: ClickHouseTraceOptions): Promise<Trace> {
  const db = ident(o.database);
  const poolFilter = o.pool === undefined ? sql`` : sql` AND pool = ${o.pool}`;
  const builds = sql`SELECT build_id, pool, combination, event_time, duration_ms, queue_wait_ms FROM ${db}.build_events FINAL
    WHERE type = 'FINISHED' AND duration_ms IS NOT NULL AND event_time >= ${o.range.fromMs} AND event_time < ${o.range.toMs}${poolFilter}
    ORDER BY event_time LIMIT ${o.limit ?? 2_000_000}`;
  const rows = await (await o.client.query({ query: builds.text, format: 'JSONEachRow' })).json<BuildRow>();
  if (rows.length === 0)
    throw new InputError(
      '--from-clickhouse',
      `no FINISHED builds in ${o.database}.build_events between ${new Date(o.range.fromMs).toISOString()} and ${new Date(o.range.toMs).toISOString()}`,
    );
  const hits = sql`SELECT build_id, sum(hit) AS hits, count() AS lookups FROM ${db}.cache_events FINAL
    WHERE build_id IS NOT NULL AND event_time >= ${o.range.fromMs - 86_400_000} AND event_time < ${o.range.toMs}${poolFilter}
    GROUP BY build_id`;
  const hitRows = await (
    await o.client.query({ query: hits.text, format: 'JSONEachRow' })
  ).json<{ build_id: string; hits: string; lookups: string }>();
  const share = new Map(hitRows.map((h) => [h.build_id, Number(h.lookups) > 0 ? Number(h.hits) / Number(h.lookups) : 0]));
  const fixedShare = o.fixedShare ?? 0.25;
  const r = o.hitCostRatio ?? 0.03;
  const jobs = rows
    .filter((b) => b.combination.length > 0)
    .map((b): TraceJob => {
      const duration = Number(b.duration_ms);
      const h = share.get(b.build_id) ?? 0;
      const cold = duration / (1 - (1 - fixedShare) * h * (1 - r));
      const { fixedMs, coldMs } = splitColdTime(b.combination, cold, fixedShare);
      return {
        id: b.build_id,
        arrivalMs: Number(b.event_time) - duration - Number(b.queue_wait_ms ?? 0),
        pool: b.pool,
        combination: b.combination,
        layers: layersOf(b.combination, coldMs),
        fixedMs,
      };
    });
  return sortTrace({
    name: `clickhouse-${o.database}`,
    source: `${o.database}.build_events + cache_events, ${new Date(o.range.fromMs).toISOString()}..${new Date(o.range.toMs).toISOString()}`,
    jobs,
  });
}
