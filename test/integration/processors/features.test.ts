/**
 * Acceptance of the feature processor against real Kafka + ClickHouse: builds_finished per
 * (pool, minute) = raw count = generator ground truth; percentiles within the DDSketch error;
 * the analyst user reads every view.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../common/metrics.js';
import { createFleetSimulation, createSchemaSet, type GroundTruth } from '../../../ingest/index.js';
import { SKETCH_RELATIVE_ACCURACY, startFeatureProcessor, type ProcessorHandle } from '../../../processors/index.js';
import { createClickHouse, ident, sql } from '../../../sinks/index.js';
import { isolatedConfig } from '../../helpers/env.js';
import { fromSimulator, produce, type GenMessage } from './support/fleet-events.js';
import { countsByTopic, rows, setupEnv, waitCaughtUp, type Env } from './support/harness.js';

const START = Date.UTC(2026, 0, 5, 10, 0, 0);

describe('feature processor (real Kafka + ClickHouse)', () => {
  let env: Env;
  let messages: GenMessage[];
  let truth: GroundTruth;
  let handle: ProcessorHandle | undefined;
  const db = (t: string) => ident(`${env.config.clickhouse.database}.${t}`);

  beforeAll(async () => {
    env = await setupEnv(isolatedConfig(undefined, { 'processor.flushIntervalMs': 300 }));
    // Helper A's deterministic fleet simulator (ingest/simulator) with its ground truth.
    const sim = createFleetSimulation({ seed: 42, pools: 3, executorsPerPool: 3, startMs: START, durationMs: 20 * 60_000 });
    messages = fromSimulator(sim.events());
    truth = sim.truth();
    await produce(env.kafka, env.config.kafka.topicPrefix, createSchemaSet(), messages);
    handle = await startFeatureProcessor({ config: env.config, logger: env.logger, metrics: createMetrics({ defaultMetrics: false }) });
    await waitCaughtUp(
      env.ch,
      env.config.clickhouse.database,
      env.config.processor.groupId,
      countsByTopic(env.config.kafka.topicPrefix, messages),
    );
  });

  afterAll(async () => {
    await handle?.stop();
    await env?.cleanup();
  });

  it('counts finished builds per (pool, minute) like the raw table and the ground truth', async () => {
    const features = await rows<{ pool: string; m: string; n: string }>(
      env.ch,
      sql`SELECT pool, toString(toUInt32(window_start) * 1000) AS m, builds_finished AS n FROM ${db('pool_features_1m')} FINAL WHERE builds_finished > 0`,
    );
    const raw = await rows<{ pool: string; m: string; n: string }>(
      env.ch,
      sql`SELECT pool, toString(intDiv(event_time, 60000) * 60000) AS m, count() AS n FROM ${db('build_events')} FINAL WHERE type = 'FINISHED' GROUP BY pool, m`,
    );
    const asMap = (rs: { pool: string; m: string; n: string }[]) => new Map(rs.map((r) => [`${r.pool}|${r.m}`, Number(r.n)]));
    const expected = new Map(truth.buildsPerMinute.map((b) => [`${b.pool}|${b.minuteMs}`, b.finished]));
    expect(expected.size).toBeGreaterThan(30);
    expect(asMap(features)).toEqual(expected);
    expect(asMap(raw)).toEqual(expected);
  });

  it('writes one raw row per event in every raw table', async () => {
    const expected = { build: 0, cache: 0, resource: 0, test: 0 };
    for (const m of messages) expected[m.family]++;
    expect(expected.build).toBe(truth.families.build);
    for (const [family, table] of [
      ['build', 'build_events'],
      ['cache', 'cache_events'],
      ['resource', 'resource_events'],
      ['test', 'test_results'],
    ] as const) {
      const [r] = await rows<{ n: string }>(env.ch, sql`SELECT count() AS n FROM ${db(table)} FINAL`);
      expect(Number(r?.n), table).toBe(expected[family]);
    }
  });

  it('gives duration percentiles within the sketch relative accuracy of the exact quantiles', async () => {
    const exact = await rows<{ pool: string; w: string; d: string[] }>(
      env.ch,
      sql`SELECT pool, toString(intDiv(event_time, 300000) * 300) AS w, groupArray(toString(duration_ms)) AS d FROM ${db('build_events')} FINAL
          WHERE type = 'FINISHED' GROUP BY pool, w`,
    );
    const feats = await rows<Record<string, string | number | null>>(
      env.ch,
      sql`SELECT pool, toString(toUInt32(window_start)) AS w, duration_p50_ms, duration_p90_ms, duration_p95_ms, duration_p99_ms, duration_mean_ms FROM ${db('pool_features_5m')} FINAL`,
    );
    const byKey = new Map(feats.map((f) => [`${f.pool}|${f.w}`, f]));
    let checked = 0;
    for (const e of exact) {
      const f = byKey.get(`${e.pool}|${e.w}`);
      expect(f, `${e.pool} ${e.w}`).toBeDefined();
      const sorted = e.d.map(Number).sort((a, b) => a - b);
      for (const [q, col] of [
        [0.5, 'duration_p50_ms'],
        [0.9, 'duration_p90_ms'],
        [0.95, 'duration_p95_ms'],
        [0.99, 'duration_p99_ms'],
      ] as const) {
        const x = sorted[Math.floor(q * (sorted.length - 1))] ?? NaN;
        const est = Number(f?.[col]);
        expect(Math.abs(est - x), `${col} of ${e.pool}@${e.w}: ${est} vs exact ${x}`).toBeLessThanOrEqual(
          SKETCH_RELATIVE_ACCURACY * x + 1e-6,
        );
        checked++;
      }
      const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
      expect(Number(f?.duration_mean_ms)).toBeCloseTo(mean, 6);
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('merges executor features from the build, cache and resource topics', async () => {
    const [f] = await rows<{ hits: string; misses: string; samples: string; builds: string }>(
      env.ch,
      sql`SELECT sum(cache_hits) AS hits, sum(cache_misses) AS misses, sum(resource_samples) AS samples, sum(builds_finished) AS builds FROM ${db('executor_features_1h')} FINAL`,
    );
    const [raw] = await rows<{ hits: string; misses: string }>(
      env.ch,
      sql`SELECT sum(hit) AS hits, sum(1 - hit) AS misses FROM ${db('cache_events')} FINAL`,
    );
    const [res] = await rows<{ n: string }>(env.ch, sql`SELECT count() AS n FROM ${db('resource_events')} FINAL`);
    expect(Number(f?.hits)).toBe(Number(raw?.hits));
    expect(Number(f?.misses)).toBe(Number(raw?.misses));
    expect(Number(f?.samples)).toBe(Number(res?.n));
    expect(Number(f?.builds)).toBe(truth.buildsPerMinute.reduce((a, b) => a + b.finished, 0));
  });

  it('keeps decayed per-combination state', async () => {
    const state = await rows<{ builds: string; failures: string; ewma_failure_rate: number; last_durations_ms: string[] }>(
      env.ch,
      sql`SELECT builds, failures, ewma_failure_rate, last_durations_ms FROM ${db('combination_state')} FINAL`,
    );
    const [raw] = await rows<{ n: string; f: string }>(
      env.ch,
      sql`SELECT count() AS n, countIf(status IN ('FAILED', 'ERRORED')) AS f FROM ${db('build_events')} FINAL WHERE type = 'FINISHED'`,
    );
    expect(state.reduce((a, s) => a + Number(s.builds), 0)).toBe(Number(raw?.n));
    expect(state.reduce((a, s) => a + Number(s.failures), 0)).toBe(Number(raw?.f));
    for (const s of state) {
      expect(s.ewma_failure_rate).toBeGreaterThanOrEqual(0);
      expect(s.ewma_failure_rate).toBeLessThanOrEqual(1);
      expect(s.last_durations_ms.length).toBeLessThanOrEqual(env.config.processor.lastDurations);
    }
  });

  it('lets the read-only analyst user query every view but not write', async () => {
    const analyst = createClickHouse(env.config, { user: 'analyst', password: env.config.clickhouse.analystPassword });
    try {
      for (const view of ['v_pool_health', 'v_combination_trends', 'v_cache_efficiency', 'v_executor_utilisation']) {
        const [r] = await rows<{ n: string }>(analyst, sql`SELECT count() AS n FROM ${db(view)}`);
        expect(Number(r?.n), view).toBeGreaterThan(0);
      }
      await expect(
        analyst.command({ query: `INSERT INTO ${db('pulse_info').text} (key, value, updated_at) VALUES ('x', 'y', now())` }),
      ).rejects.toThrow();
    } finally {
      await analyst.close();
    }
  });

  it('runs every example query of deploy/clickhouse/ANALYSTS.md as the analyst', async () => {
    const md = readFileSync(new URL('../../../deploy/clickhouse/ANALYSTS.md', import.meta.url), 'utf8');
    const blocks = [...md.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').trim());
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    const analyst = createClickHouse(env.config, {
      user: 'analyst',
      password: env.config.clickhouse.analystPassword,
      database: env.config.clickhouse.database,
    });
    try {
      for (const block of blocks) {
        const result = await rows(analyst, { text: block.replace(/;\s*(--.*)?$/, '') });
        if (block.includes('expect no rows')) expect(result, block).toEqual([]);
      }
    } finally {
      await analyst.close();
    }
  });
});
