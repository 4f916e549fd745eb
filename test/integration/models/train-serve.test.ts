/**
 * Train from real ClickHouse, register, serve: the online scorer consumes real Kafka build events and
 * writes `predictions` rows scored by the registered champion.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Partitioners, type Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../common/logger.js';
import { createMetrics } from '../../../common/metrics.js';
import { topicNames } from '../../../common/topics.js';
import type { Config } from '../../../common/config.js';
import { createSchemaSet, type BuildEvent } from '../../../ingest/index.js';
import { createRegistry, runTraining, sortByStart, type HistoryRecord } from '../../../models/index.js';
import { startOnlineScorer, type OnlineScorerHandle } from '../../../processors/scoring/index.js';
import { applySchema, createClickHouse, createKafka, ident, type ClickHouseClient } from '../../../sinks/index.js';
import { isolatedConfig, uniqueName, waitFor } from '../../helpers/env.js';
import { eventsOf } from '../../unit/models/helpers/events.js';
import { generateHistory } from '../../unit/models/helpers/synthetic-history.js';

function buildEventRow(e: BuildEvent): Record<string, unknown> {
  const { features, ...rest } = e;
  return { ...rest, ts: Math.floor(e.event_time / 1000), feature_names: Object.keys(features), feature_values: Object.values(features) };
}

describe('models: train from ClickHouse, register, serve through Kafka', () => {
  const logger = createLogger({ level: 'warn' });
  const metrics = createMetrics({ defaultMetrics: false });
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-models-it-'));
  let config: Config;
  let ch: ClickHouseClient;
  let kafka: Kafka;
  let scorer: OnlineScorerHandle | undefined;
  let history: HistoryRecord[];
  let fresh: HistoryRecord[];

  beforeAll(async () => {
    config = isolatedConfig(uniqueName('models'), { dataDir, 'models.reloadIntervalMs': 500 });
    await applySchema(config, logger);
    ch = createClickHouse(config);
    kafka = createKafka(config, logger, 'models-it');
    const all = sortByStart(generateHistory({ rows: 2600, pools: 4, seed: 11 }));
    history = all.slice(0, 2500);
    fresh = all.slice(2500, 2520);
    await ch.insert({
      table: `${config.clickhouse.database}.build_events`,
      format: 'JSONEachRow',
      values: eventsOf(history).map(buildEventRow),
    });
  });

  afterAll(async () => {
    await scorer?.stop();
    await ch?.command({ query: `DROP DATABASE IF EXISTS ${ident(config.clickhouse.database).text}` });
    await ch?.close();
    const admin = kafka.admin();
    await admin.connect();
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(`${config.kafka.topicPrefix}.`));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
    await admin.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('trains, registers a champion, and the scorer writes predictions for new builds', async () => {
    const result = await runTraining({ config, clickhouse: ch, logger, metrics }, { epochs: 3 });
    expect(result.historyRows).toBe(2500);
    expect(result.promoted).toBe(true);
    expect(result.comparison.model.rows).toBe(result.holdout.rows);
    expect(result.comparison.model.duration_mae_ms).toBeGreaterThan(0);
    const registry = createRegistry({ clickhouse: ch, database: config.clickhouse.database, dataDir });
    expect((await registry.champion())?.version).toBe(result.version);

    scorer = await startOnlineScorer({ config, logger, metrics, clickhouse: ch, fromBeginning: true });
    expect(scorer.predictor.version).toBe(result.version);
    const schemas = createSchemaSet();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const events = eventsOf(fresh);
    await producer.send({
      topic: topicNames(config.kafka.topicPrefix)['events.build'],
      messages: events.map((e) => ({ key: e.pool, value: schemas.encode('build', e) })),
    });
    await producer.disconnect();

    const expected = events.filter((e) => e.type !== 'FINISHED').length;
    const table = `${config.clickhouse.database}.predictions`;
    const rows = await waitFor(
      'predictions for the new builds',
      async () => {
        const rs = await ch.query({ query: `SELECT * FROM ${table} FINAL ORDER BY build_id, stage`, format: 'JSONEachRow' });
        const got = await rs.json<Record<string, unknown>>();
        return got.length >= expected ? got : undefined;
      },
      60_000,
    );
    expect(rows).toHaveLength(expected);
    expect(new Set(rows.map((r) => r.build_id))).toEqual(new Set(fresh.map((r) => r.build_id)));
    for (const r of rows) {
      expect(r.model_version).toBe(result.version);
      const [p10, p50, p90, prob] = [r.duration_p10_ms, r.duration_p50_ms, r.duration_p90_ms, r.failure_prob].map(Number) as [
        number,
        number,
        number,
        number,
      ];
      expect(p10).toBeLessThanOrEqual(p50);
      expect(p50).toBeLessThanOrEqual(p90);
      expect(p50).toBeGreaterThan(0);
      expect(prob).toBeGreaterThanOrEqual(0);
      expect(prob).toBeLessThanOrEqual(1);
    }
  });

  it('a second training is judged against the champion on the same window', async () => {
    const result = await runTraining({ config, clickhouse: ch, logger, metrics }, { epochs: 1 });
    expect(result.champion).toBeDefined();
    expect(result.champion?.comparison.model.rows).toBe(result.comparison.model.rows);
    const registry = createRegistry({ clickhouse: ch, database: config.clickhouse.database, dataDir });
    const versions = await registry.list();
    expect(versions.map((v) => v.version)).toContain(result.version);
    const champion = await registry.champion();
    expect(champion?.version).toBe(result.promoted ? result.version : versions.find((v) => v.version !== result.version)?.version);
    if (result.promoted) await waitFor('hot reload of the new champion', () => scorer?.predictor.version === result.version, 20_000);
  });
});
