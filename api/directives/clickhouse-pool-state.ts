/**
 * Pool state from the processors' raw tables (`build_events`, `resource_events`, `cache_events`):
 * queue and running builds (jobs queued/started without a later start/finish, and the executors' own
 * latest resource samples), arrival rate, mean build duration, queue-wait p95, warm candidates (demand
 * from the policies' warm-demand model, fed with each pool's arrivals) and the before/after windows of
 * effect measurement. Every value is bound through `sql`.
 */
import type { ClickHouseClient } from '../../sinks/index.js';
import { ident, sql } from '../../sinks/index.js';
import { selectRows } from '../store/query.js';
import { createWarmDemandModel, type WarmDemandModel } from './policies/index.js';
import type { PoolObservation, PoolStateSource, WindowStats } from './pool-state.js';

/** Options of {@link createClickHousePoolState}. */
export interface ClickHousePoolStateOptions {
  clickhouse: ClickHouseClient;
  database: string;
  /** Window over which arrivals and queue wait are measured, ms (default 120 000). */
  recentMs?: number;
  /** Window over which queued/running jobs and durations are reconstructed, ms (default 1 800 000). */
  lookbackMs?: number;
  /** Window of history for warm candidates, ms (default 3 600 000). */
  warmHistoryMs?: number;
  /** A combination counts as warm when built this recently with a high hit ratio, ms (default 900 000). */
  warmTtlMs?: number;
  /** Mean build duration assumed when a pool has no finished build in the lookback, ms (default 60 000). */
  defaultBuildMs?: number;
}

const n = (v: unknown): number => Number(v ?? 0);

/** Creates the source. */
export function createClickHousePoolState(o: ClickHousePoolStateOptions): PoolStateSource {
  const db = ident(o.database);
  const recentMs = o.recentMs ?? 120_000;
  const lookbackMs = o.lookbackMs ?? 1_800_000;
  const warmHistoryMs = o.warmHistoryMs ?? 3_600_000;
  const warmTtlMs = o.warmTtlMs ?? 900_000;
  const defaultBuildMs = o.defaultBuildMs ?? 60_000;
  const ch = o.clickhouse;
  const demandByPool = new Map<string, { model: WarmDemandModel; lastMs: number }>();

  return {
    async observe(now) {
      const since = now - lookbackMs;
      const recent = now - recentMs;
      const builds = await selectRows<{
        pool: string;
        queued: string;
        running: string;
        arrivals: string;
        mean_ms: number | null;
        var_ms: number | null;
        finished: string;
        qw_p95: number | null;
        started_recent: string;
        combos: string[][];
      }>(
        ch,
        sql`SELECT pool, countIf(q = 1 AND s = 0) AS queued, countIf(s = 1 AND f = 0) AS running,
            countIf(q = 1 AND qt >= ${recent}) AS arrivals, avgIf(dur, f = 1) AS mean_ms, varSampIf(dur, f = 1) AS var_ms, countIf(f = 1) AS finished,
            quantileIf(0.95)(qw, s = 1 AND st >= ${recent}) AS qw_p95, countIf(s = 1 AND st >= ${recent}) AS started_recent,
            groupArrayIf(20)(combo, q = 1 AND s = 0) AS combos
          FROM (
            SELECT pool, job_id, max(type = 'QUEUED') AS q, max(type IN ('STARTED', 'FINISHED')) AS s, max(type = 'FINISHED') AS f,
              minIf(event_time, type = 'QUEUED') AS qt, minIf(event_time, type = 'STARTED') AS st,
              anyIf(ifNull(duration_ms, 0), type = 'FINISHED') AS dur, anyIf(ifNull(queue_wait_ms, 0), type = 'STARTED') AS qw,
              any(combination) AS combo
            FROM ${db}.build_events WHERE event_time >= ${since} AND event_time <= ${now}
            GROUP BY pool, job_id)
          GROUP BY pool`,
      );
      const resources = await selectRows<{ pool: string; slots: string; running: string; queued: string }>(
        ch,
        sql`SELECT pool, sum(sl) AS slots, sum(rb) AS running, max(qu) AS queued FROM (
            SELECT pool, executor, argMax(slots, event_time) AS sl, argMax(running_builds, event_time) AS rb, argMax(queued, event_time) AS qu
            FROM ${db}.resource_events WHERE event_time >= ${recent} AND event_time <= ${now} GROUP BY pool, executor)
          GROUP BY pool`,
      );
      const byPool = new Map(resources.map((r) => [r.pool, r]));
      const names = new Set([...builds.map((b) => b.pool), ...resources.map((r) => r.pool)]);
      const bByPool = new Map(builds.map((b) => [b.pool, b]));
      return [...names].sort().map((pool): PoolObservation => {
        const b = bByPool.get(pool);
        const r = byPool.get(pool);
        const finished = n(b?.finished);
        const mean = finished > 0 ? n(b?.mean_ms) : 0;
        // Variability of build times (warm and cold builds mix): the predictive policy's M/G/c correction.
        const cv2 = finished >= 2 && mean > 0 && Number.isFinite(n(b?.var_ms)) ? n(b?.var_ms) / (mean * mean) : undefined;
        const running = Math.max(n(b?.running), n(r?.running));
        return {
          pool,
          nowMs: now,
          queued: Math.max(n(b?.queued), n(r?.queued)),
          running,
          slots: Math.max(n(r?.slots), running),
          observedArrivalsPerSec: n(b?.arrivals) / (recentMs / 1000),
          meanBuildMs: mean > 0 ? mean : defaultBuildMs,
          observedDuration: mean > 0,
          ...(cv2 !== undefined ? { buildMsCv2: cv2 } : {}),
          ...(n(b?.started_recent) > 0 && b?.qw_p95 !== null ? { queueWaitP95Ms: n(b?.qw_p95) } : {}),
          queuedCombinations: b?.combos ?? [],
        };
      });
    },

    async warmCandidates(pool, now, horizonMs) {
      // Demand: the policies' own per-combination model, fed with the pool's arrivals since the last call.
      let demand = demandByPool.get(pool);
      if (!demand) demandByPool.set(pool, (demand = { model: createWarmDemandModel(), lastMs: now - warmHistoryMs }));
      const arrivals = await selectRows<{ combination: string[]; t: string }>(
        ch,
        sql`SELECT combination, event_time AS t FROM ${db}.build_events
          WHERE pool = ${pool} AND type = 'QUEUED' AND event_time > ${demand.lastMs} AND event_time <= ${now}
          ORDER BY event_time LIMIT 100000`,
      );
      for (const a of arrivals) demand.model.observe(a.combination, n(a.t));
      demand.lastMs = arrivals.length > 0 ? n(arrivals[arrivals.length - 1]?.t) : demand.lastMs;
      const since = now - warmHistoryMs;
      const rows = await selectRows<{
        key: string;
        builds: string;
        last_seen: string;
        mean_ms: number;
        warm_ms: number | null;
        cold_ms: number | null;
        n_warm: string;
        n_cold: string;
        last_hr: number;
        last_has_cache: number;
      }>(
        ch,
        sql`SELECT b.key AS key, count() AS builds, max(b.event_time) AS last_seen, avg(b.dur) AS mean_ms,
            avgIf(b.dur, c.n > 0 AND c.hr >= 0.8) AS warm_ms, avgIf(b.dur, c.n > 0 AND c.hr < 0.8) AS cold_ms,
            countIf(c.n > 0 AND c.hr >= 0.8) AS n_warm, countIf(c.n > 0 AND c.hr < 0.8) AS n_cold,
            argMax(c.hr, b.event_time) AS last_hr, argMax(c.n > 0, b.event_time) AS last_has_cache
          FROM (SELECT build_id, arrayStringConcat(combination, '/') AS key, ifNull(duration_ms, 0) AS dur, event_time
                FROM ${db}.build_events WHERE pool = ${pool} AND type = 'FINISHED' AND event_time >= ${since}) AS b
          ANY LEFT JOIN (SELECT ifNull(build_id, '') AS build_id, avg(hit) AS hr, count() AS n FROM ${db}.cache_events
                WHERE pool = ${pool} AND event_time >= ${since} GROUP BY build_id) AS c USING build_id
          GROUP BY b.key ORDER BY builds DESC LIMIT 1000`,
      );
      const stats = new Map(rows.map((r) => [r.key, r]));
      const poolMean =
        rows.length > 0
          ? rows.reduce((s, r) => s + n(r.mean_ms) * n(r.builds), 0) / rows.reduce((s, r) => s + n(r.builds), 0)
          : defaultBuildMs;
      // Saving: cold minus warm duration when both were seen; otherwise half the mean duration scaled by how
      // cold the last build was (half a cold build assumed to be layer work).
      const savingMs = (combination: readonly string[]): number => {
        const r = stats.get(combination.join('/'));
        if (!r) return poolMean * 0.5;
        if (n(r.n_cold) > 0 && n(r.n_warm) > 0) return Math.max(0, n(r.cold_ms) - n(r.warm_ms));
        return n(r.mean_ms) * 0.5 * (1 - (r.last_has_cache ? n(r.last_hr) : 0));
      };
      const isWarm = (combination: readonly string[]): boolean => {
        const r = stats.get(combination.join('/'));
        return r !== undefined && n(r.last_seen) >= now - warmTtlMs && r.last_has_cache === 1 && n(r.last_hr) >= 0.8;
      };
      return demand.model.candidates({ nowMs: now, horizonMs, isWarm, savingMs });
    },

    async windowStats(pool, fromMs, toMs): Promise<WindowStats> {
      const [b] = await selectRows<{ qw: number | null; started: string }>(
        ch,
        sql`SELECT quantileIf(0.95)(ifNull(queue_wait_ms, 0), type = 'STARTED') AS qw, countIf(type = 'STARTED') AS started
          FROM ${db}.build_events WHERE pool = ${pool} AND event_time >= ${fromMs} AND event_time < ${toMs}`,
      );
      const [c] = await selectRows<{ hr: number | null; n: string }>(
        ch,
        sql`SELECT avg(hit) AS hr, count() AS n FROM ${db}.cache_events WHERE pool = ${pool} AND event_time >= ${fromMs} AND event_time < ${toMs}`,
      );
      const started = n(b?.started);
      return {
        queueWaitP95Ms: started > 0 ? n(b?.qw) : null,
        hitRatio: n(c?.n) > 0 ? n(c?.hr) : null,
        builds: started,
      };
    },
  };
}
