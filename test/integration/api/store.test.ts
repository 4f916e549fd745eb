/**
 * The API read model and the engine's pool state against the real ClickHouse: every filter binds its
 * value as data — injection strings stored in rows come back as exactly those rows, and the tables survive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHousePoolState } from '../../../api/directives/clickhouse-pool-state.js';
import { createClickHouseStore } from '../../../api/store/clickhouse-store.js';
import type { ApiStore } from '../../../api/store/types.js';
import { silentLogger } from '../../../common/logger.js';
import { applySchema, createClickHouse, ident, type ClickHouseClient } from '../../../sinks/index.js';
import { isolatedConfig } from '../../helpers/env.js';

const EVIL = ["' OR 1=1 --", "\\'; DROP TABLE x; --", 'pool\\', 'ünïcødé-池-🚀', 'a\'b"c`d', '%_*?', 'x\n\tUNION SELECT 1'];

const config = isolatedConfig();
const db = config.clickhouse.database;
let ch: ClickHouseClient;
let store: ApiStore;
const now = Date.now();
const minute = Math.floor(now / 60_000) * 60_000;

async function insert(table: string, values: Record<string, unknown>[]): Promise<void> {
  await ch.insert({ table: `${ident(db).text}.${table}`, values, format: 'JSONEachRow' });
}

beforeAll(async () => {
  await applySchema(config, silentLogger());
  ch = createClickHouse(config);
  store = createClickHouseStore({ clickhouse: ch, database: db });
  const pools = ['plain', ...EVIL];
  await insert(
    'pool_features_1m',
    pools.map((pool, i) => ({
      pool,
      window_start: Math.floor(minute / 1000) - 60,
      window_end: Math.floor(minute / 1000),
      version: 1,
      builds_finished: i + 1,
      builds_failed: 0,
      duration_p50_ms: 1000 + i,
      cache_hits: 1,
      cache_misses: 2,
    })),
  );
  const base = { producer_id: 'p', seq: 0, arch: 'amd64', feature_names: [], feature_values: [] };
  const builds: Record<string, unknown>[] = [];
  pools.forEach((pool, i) => {
    const combination = ['base@1', `${EVIL[i % EVIL.length]}@2`];
    const t = now - 60_000;
    const ids = { build_id: `b${i}`, job_id: `j${i}`, pool, combination };
    builds.push({ ...base, ...ids, event_id: `q${i}`, event_time: t, ts: Math.floor(t / 1000), type: 'QUEUED' });
    builds.push({
      ...base,
      ...ids,
      event_id: `s${i}`,
      event_time: t + 1000,
      ts: Math.floor(t / 1000),
      type: 'STARTED',
      queue_wait_ms: 1000,
    });
    builds.push({
      ...base,
      ...ids,
      event_id: `f${i}`,
      event_time: t + 5000,
      ts: Math.floor(t / 1000),
      type: 'FINISHED',
      duration_ms: 4000,
      status: 'PASSED',
    });
  });
  await insert('build_events', builds);
  await insert(
    'cache_events',
    pools.map((pool, i) => ({
      event_id: `c${i}`,
      event_time: now - 55_000,
      ts: Math.floor(now / 1000) - 55,
      producer_id: 'p',
      seq: 0,
      executor: 'e',
      pool,
      build_id: `b${i}`,
      layer_key: 'k',
      hit: 1,
      bytes: 1,
      latency_ms: 1,
      tier: 'LOCAL',
    })),
  );
  await insert(
    'alerts',
    EVIL.map((s, i) => ({
      alert_id: `a${i}`,
      alert_key: s,
      detector: s,
      entity_type: 'pool',
      entity: s,
      metric: 'm',
      severity: s,
      state: s,
      score: 0.9,
      value: 1,
      expected_low: 0,
      expected_high: 1,
      started_at_ms: now - 1000,
      event_time_ms: now - 1000 + i,
      event_time: Math.floor(now / 1000),
      evidence_keys: [],
      evidence_values: [],
      version: 1,
    })),
  );
  await insert(
    'model_versions',
    EVIL.map((s, i) => ({
      version: s,
      status: s,
      backend: s,
      created_at: Math.floor(now / 1000),
      created_at_ms: now - i,
      updated_at_ms: now,
      duration_mae_ms: 100 + i,
      decision: 'test',
    })),
  );
  await insert(
    'directives',
    EVIL.map((s, i) => ({
      directive_id: s,
      pool: s,
      kind: s,
      source: s,
      policy: 'manual',
      issued_at: now - i,
      issued_time: Math.floor(now / 1000),
      valid_until: now + 60_000,
      desired_slots: i,
      reason_keys: ['k'],
      reason_values: [i],
      effect_status: 'pending',
      version: 1,
    })),
  );
}, 120_000);

afterAll(async () => {
  await ch?.command({ query: `DROP DATABASE IF EXISTS ${ident(db).text}` });
  await ch?.close();
});

describe('injection strings in every filter come back as data', () => {
  for (const evil of EVIL)
    it(JSON.stringify(evil), async () => {
      const features = await store.poolFeatures({ window: '1m', pool: evil, limit: 10 });
      expect(features.map((f) => f.pool)).toEqual([evil]);
      expect((await store.latestPoolFeatures('1m', evil)).map((f) => f.pool)).toEqual([evil]);
      const trends = await store.combinationTrends({ pool: evil, sinceMs: 3_600_000, limit: 10 });
      expect(trends.map((t) => t.pool)).toEqual([evil]);
      const byModule = await store.combinationTrends({ module: `${evil}@2`, sinceMs: 3_600_000, limit: 100 });
      expect(byModule.length).toBeGreaterThan(0);
      for (const t of byModule) expect(t.combination).toContain(`${evil}@2`);
      for (const filter of ['state', 'severity', 'entity', 'detector'] as const) {
        const alerts = await store.alerts({ [filter]: evil, limit: 10 });
        expect(
          alerts.map((a) => a.alert_key),
          filter,
        ).toEqual([evil]);
      }
      for (const filter of ['pool', 'kind', 'source'] as const) {
        const ds = await store.directives({ [filter]: evil, limit: 10 });
        expect(
          ds.map((d) => d.directive_id),
          filter,
        ).toEqual([evil]);
      }
      expect((await store.directive(evil))?.pool).toBe(evil);
      for (const filter of ['status', 'backend'] as const) {
        const models = await store.modelVersions({ [filter]: evil, limit: 10 });
        expect(
          models.map((m) => m.version),
          filter,
        ).toEqual([evil]);
      }
    });

  it('the tables are all still there with all their rows', async () => {
    expect((await store.poolFeatures({ window: '1m', limit: 100 })).length).toBe(EVIL.length + 1);
    expect((await store.directives({ limit: 100 })).length).toBe(EVIL.length);
    expect((await store.alerts({ limit: 100 })).length).toBe(EVIL.length);
    const models = await store.modelVersions({ limit: 100 });
    expect(models.map((m) => m.metrics.duration_mae_ms)).toEqual(EVIL.map((_, i) => 100 + i));
  });
});

describe('pool state for the engine', () => {
  it('observes arrivals, durations and queue wait; windows and warm candidates bind pool names as data', async () => {
    const source = createClickHousePoolState({ clickhouse: ch, database: db });
    const obs = await source.observe(now);
    expect(obs.map((o) => o.pool).sort()).toEqual(['plain', ...EVIL].sort());
    const evil = obs.find((o) => o.pool === EVIL[0]);
    expect(evil).toMatchObject({ queued: 0, running: 0, meanBuildMs: 4000, observedDuration: true, queueWaitP95Ms: 1000 });
    expect(evil?.observedArrivalsPerSec).toBeCloseTo(1 / 120, 6);
    for (const pool of EVIL) {
      const stats = await source.windowStats(pool, now - 120_000, now);
      expect(stats).toEqual({ queueWaitP95Ms: 1000, hitRatio: 1, builds: 1 });
      const cands = await source.warmCandidates(pool, now, 60_000);
      expect(cands).toHaveLength(1);
      expect(cands[0]?.warm).toBe(true);
      expect(cands[0]?.probability).toBeGreaterThan(0);
      expect(cands[0]?.combination).toEqual(['base@1', `${EVIL[(EVIL.indexOf(pool) + 1) % EVIL.length]}@2`]);
    }
  });
});
