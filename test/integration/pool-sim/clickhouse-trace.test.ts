// The simulator's ClickHouse trace source against the real server: build history in, trace out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/logger.js';
import { createCachePolicy, createScalingPolicy } from '../../../api/directives/policies/index.js';
import { simulatePool } from '../../../api/pool-sim/simulator.js';
import { loadClickHouseTrace } from '../../../api/pool-sim/trace-clickhouse.js';
import { applySchema, createClickHouse, ident, sql, type ClickHouseClient } from '../../../sinks/index.js';
import { isolatedConfig } from '../../helpers/env.js';

const config = isolatedConfig();
const db = config.clickhouse.database;
let client: ClickHouseClient;
const T0 = Date.UTC(2024, 0, 1, 9);

function build(i: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  const finished = T0 + i * 60_000 + 100_000;
  return {
    event_id: `e${i}`,
    event_time: finished,
    ts: Math.floor(finished / 1000),
    producer_id: 'test',
    seq: i,
    type: 'FINISHED',
    build_id: `b${i}`,
    job_id: `j${i}`,
    pool: i % 2 === 0 ? 'p-even' : 'p-odd',
    executor: 'x',
    arch: 'amd64',
    combination: ['base@1', 'python@3.11'],
    queue_wait_ms: 10_000,
    duration_ms: 90_000,
    status: 'PASSED',
    failure_category: null,
    image_size_bytes: 1,
    layer_count: 2,
    sbom_generation_ms: null,
    feature_names: [],
    feature_values: [],
    ...over,
  };
}

beforeAll(async () => {
  await applySchema(config, silentLogger());
  client = createClickHouse(config);
  const rows = Array.from({ length: 6 }, (_, i) => build(i));
  rows.push(build(99, { type: 'QUEUED', event_id: 'q99', duration_ms: null }));
  await client.insert({ table: `${db}.build_events`, values: rows, format: 'JSONEachRow' });
  // Build b1 reused both of its layers from the cache.
  const cache = ['l1', 'l2'].map((k, i) => ({
    event_id: `c${i}`,
    event_time: T0 + 61_000,
    ts: Math.floor((T0 + 61_000) / 1000),
    producer_id: 'test',
    seq: i,
    executor: 'x',
    pool: 'p-odd',
    build_id: 'b1',
    layer_key: k,
    hit: 1,
    bytes: 1,
    latency_ms: 1,
    tier: 'LOCAL',
  }));
  await client.insert({ table: `${db}.cache_events`, values: cache, format: 'JSONEachRow' });
});

afterAll(async () => {
  await client?.command({ query: sql`DROP DATABASE IF EXISTS ${ident(db)}`.text });
  await client?.close();
});

describe('ClickHouse trace source', () => {
  it('reads FINISHED builds as jobs with arrival = finish − duration − wait, and replays them', async () => {
    const trace = await loadClickHouseTrace({
      client,
      database: db,
      range: { fromMs: T0, toMs: T0 + 3_600_000 },
      fixedShare: 0.25,
      hitCostRatio: 0,
    });
    expect(trace.jobs).toHaveLength(6);
    const j0 = trace.jobs.find((j) => j.id === 'b0');
    expect(j0?.arrivalMs).toBe(T0);
    expect(j0?.combination).toEqual(['base@1', 'python@3.11']);
    expect(j0?.layers.map((l) => l.key)).toEqual(['base@1', 'base@1/python@3.11']);
    // No cache help: cold total = recorded duration. b1 hit all its layers: cold = 90 s / (1 − 0.75).
    const total = (id: string): number => {
      const j = trace.jobs.find((x) => x.id === id);
      return (j?.fixedMs ?? 0) + (j?.layers ?? []).reduce((s, l) => s + l.coldMs, 0);
    };
    expect(total('b0')).toBeCloseTo(90_000, -1);
    expect(total('b1')).toBeCloseTo(360_000, -1);
    const one = await loadClickHouseTrace({ client, database: db, range: { fromMs: T0, toMs: T0 + 3_600_000 }, pool: 'p-odd' });
    expect(one.jobs.map((j) => j.pool)).toEqual(['p-odd', 'p-odd', 'p-odd']);
    const r = simulatePool({ trace, scaling: () => createScalingPolicy('reactive'), cache: () => createCachePolicy('lru') });
    expect(r.jobs).toBe(6);
    expect(r.pools).toBe(2);
  });

  it('an empty range is an input error naming the flag', async () => {
    await expect(loadClickHouseTrace({ client, database: db, range: { fromMs: 0, toMs: 1000 } })).rejects.toThrow(/--from-clickhouse/);
  });
});
