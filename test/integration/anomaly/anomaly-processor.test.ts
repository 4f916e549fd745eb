// The streaming anomaly processor against the real Kafka and ClickHouse: the fleet simulator's events
// (with injected incidents, then a quiet run of the same length) go through Kafka; every incident must
// raise an alert on its entity within two 5-minute windows, the quiet run must raise none. Alerts must
// land in ClickHouse (`alerts`), on the `alerts` topic (Avro) and at a local webhook receiver.
// Predictions (as the online scorer writes them) agree with the actual durations, except on DRIFT_POOL
// from DRIFT_AT in the run with incidents: the processor joins them by build id and alerts that drift only.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../common/config.js';
import { silentLogger } from '../../../common/logger.js';
import { createMetrics } from '../../../common/metrics.js';
import { topicNames } from '../../../common/topics.js';
import { createFleetSimulation, createSchemaSet, type Alert, type AnyEvent } from '../../../ingest/index.js';
import { matchIncidents } from '../../../processors/anomaly/evaluation/incident-matching.js';
import { startAnomalyProcessor } from '../../../processors/anomaly/index.js';
import { applySchema, createClickHouse, createKafka } from '../../../sinks/index.js';
import { isolatedConfig, uniqueName, waitFor } from '../../helpers/env.js';

const SEED = 6;
const HOURS = 3;
const WINDOW_MS = 5 * 60_000;
const START = Date.UTC(2026, 0, 5, 8);
const DRIFT_POOL = 'pool-2';
const DRIFT_AT = START + 140 * 60_000;
const DRIFT_METRIC = 'build_duration_vs_prediction';

/** The `predictions` row the scorer would have written at a build's start, `ratio` × its actual duration. */
function predictionRow(
  b: { build_id: string; pool: string; duration_ms: number; event_time: number },
  ratio: number,
): Record<string, unknown> {
  const at = b.event_time - b.duration_ms;
  const p50 = b.duration_ms * ratio;
  return {
    build_id: b.build_id,
    stage: 'STARTED',
    pool: b.pool,
    arch: 'amd64',
    executor: null,
    combination: [],
    predicted_at: Math.floor(at / 1000),
    predicted_at_ms: at,
    model_version: 'it',
    duration_p50_ms: p50,
    duration_p10_ms: p50 / 2,
    duration_p90_ms: p50 * 2,
    failure_prob: 0.05,
    failure_predicted: 0,
    baseline_duration_ms: p50,
    baseline_failed: 0,
  };
}

const TOPIC_OF = { build: 'events.build', cache: 'events.cache', resource: 'events.resource', test: 'events.test' } as const;

function keyOf(e: AnyEvent): string {
  if (e.family === 'cache' || e.family === 'resource') return e.value.executor;
  if (e.family === 'test') return e.value.combination.join('+');
  return e.family === 'build' ? e.value.pool : e.value.event_id;
}

async function receiver(): Promise<{ url: string; posts: unknown[]; server: Server }> {
  const posts: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      posts.push(JSON.parse(body));
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`, posts, server };
}

interface RunResult {
  alerts: Alert[];
  incidents: ReturnType<ReturnType<typeof createFleetSimulation>['truth']>['incidents'];
  topicMessages: number;
  webhookPosts: number;
}

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** Runs one simulation through Kafka → processor → ClickHouse/Kafka/webhook and reads back the alerts. */
async function run(anomalies: boolean): Promise<RunResult> {
  const hook = await receiver();
  cleanups.push(() => new Promise((r) => hook.server.close(r)));
  const config: Config = isolatedConfig(uniqueName('anom'), { 'alerts.webhooks': hook.url });
  const logger = silentLogger();
  await applySchema(config, logger);
  const topics = topicNames(config.kafka.topicPrefix);
  const kafka = createKafka(config, logger, 'anomaly-it');
  const clickhouse = createClickHouse(config);
  const admin = kafka.admin();
  await admin.connect();
  cleanups.push(async () => {
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${config.clickhouse.database}` });
    await clickhouse.close();
    await admin.deleteTopics({ topics: Object.values(topics) });
    await admin.disconnect();
  });

  const schemas = createSchemaSet();
  const sim = createFleetSimulation({
    seed: SEED,
    pools: 3,
    executorsPerPool: 3,
    startMs: START,
    durationMs: HOURS * 3_600_000,
    anomalies,
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let produced = 0;
  const predictions: Record<string, unknown>[] = [];
  let batch: Array<{ topic: string; messages: Array<{ key: string; value: Buffer }> }> = [];
  const flush = async (): Promise<void> => {
    if (batch.length > 0) await producer.sendBatch({ topicMessages: batch, acks: -1 });
    batch = [];
  };
  for (const e of sim.events() as Iterable<AnyEvent>) {
    if (!(e.family in TOPIC_OF)) continue;
    if (e.family === 'build' && e.value.type === 'FINISHED' && e.value.status === 'PASSED' && e.value.duration_ms !== null) {
      // A model within ~10 % (deterministic per build); on DRIFT_POOL it predicts 1/1.6 of the actual from DRIFT_AT.
      const noise = Math.exp(0.1 * Math.sin(predictions.length * 12.9898));
      const drifted = anomalies && e.value.pool === DRIFT_POOL && e.value.event_time >= DRIFT_AT;
      predictions.push(predictionRow({ ...e.value, duration_ms: e.value.duration_ms }, noise / (drifted ? 1.6 : 1)));
    }
    const topic = topics[TOPIC_OF[e.family as keyof typeof TOPIC_OF]];
    batch.push({ topic, messages: [{ key: keyOf(e), value: schemas.encode(e.family, e.value as never) }] });
    produced++;
    if (batch.length >= 2000) await flush();
  }
  await flush();
  await producer.disconnect();
  await clickhouse.insert({ table: `${config.clickhouse.database}.predictions`, values: predictions, format: 'JSONEachRow' });

  const processor = await startAnomalyProcessor({
    config,
    kafka,
    clickhouse,
    schemas,
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
  });
  try {
    await waitFor(`processor to read ${produced} events`, () => processor.stats().events >= produced, 90_000);
    // Idle partitions stop holding the watermark back after 10 s; then the last minutes are scored.
    const end = START + HOURS * 3_600_000 - 3 * 60_000;
    await waitFor('the minutes up to the end of the run to be scored', () => (processor.stats().scoredThrough ?? 0) >= end, 60_000);
    const expected = processor.stats().alerts;
    console.log(`${anomalies ? 'anomalies' : 'quiet'} run: processor stats ${JSON.stringify(processor.stats())}`);
    const rows = await waitFor(
      `${expected} alert rows in ClickHouse`,
      async () => {
        const rs = await clickhouse.query({
          query: `SELECT * FROM ${config.clickhouse.database}.alerts FINAL ORDER BY event_time_ms, alert_id, state`,
          format: 'JSONEachRow',
        });
        const r = await rs.json<Record<string, unknown>>();
        return r.length >= expected ? r : undefined;
      },
      30_000,
    );
    await waitFor('webhook deliveries', () => hook.posts.length >= expected, 30_000);
    const offsets = await admin.fetchTopicOffsets(topics.alerts);
    const alerts: Alert[] = rows.map((r) => ({
      event_id: `${String(r.alert_id)}:${String(r.state)}`,
      event_time: Number(r.event_time_ms),
      producer_id: '',
      seq: 0,
      alert_id: String(r.alert_id),
      alert_key: String(r.alert_key),
      detector: String(r.detector),
      entity_type: String(r.entity_type),
      entity: String(r.entity),
      metric: String(r.metric),
      severity: r.severity as Alert['severity'],
      state: r.state as Alert['state'],
      score: Number(r.score),
      value: Number(r.value),
      expected_low: Number(r.expected_low),
      expected_high: Number(r.expected_high),
      started_at: Number(r.started_at_ms),
      evidence: {},
    }));
    return {
      alerts,
      incidents: sim.truth().incidents,
      topicMessages: offsets.reduce((a, o) => a + Number(o.high) - Number(o.low), 0),
      webhookPosts: hook.posts.length,
    };
  } finally {
    await processor.stop();
  }
}

describe('streaming anomaly processor (real Kafka + ClickHouse)', () => {
  it('alerts on every injected incident within two 5-minute windows, and stays silent on a quiet run', async () => {
    const noisy = await run(true);
    const drift = noisy.alerts.filter((a) => a.metric === DRIFT_METRIC && a.state === 'FIRING');
    const m = matchIncidents(
      noisy.alerts.filter((a) => a.metric !== DRIFT_METRIC),
      noisy.incidents,
      2 * WINDOW_MS,
    );
    for (const i of m.incidents)
      console.log(
        `incident ${i.kind} on ${i.entity} at +${((i.startMs - START) / 60_000).toFixed(1)} min → ` +
          (i.delayMs === undefined ? 'NO ALERT' : `${i.detector}/${i.metric} after ${(i.delayMs / 60_000).toFixed(1)} min`),
      );
    const quiet = await run(false);
    const quietFiring = quiet.alerts.filter((a) => a.state === 'FIRING');
    console.log(
      `anomalies run: ${m.detected}/${m.incidents.length} incidents alerted within ${(2 * WINDOW_MS) / 60_000} min, ` +
        `${m.firing} alerts fired (${m.unexplained.length} unexplained); quiet run: ${quietFiring.length} alerts`,
    );

    expect(m.incidents.length).toBeGreaterThanOrEqual(4);
    expect(m.incidents.filter((i) => !i.detected)).toEqual([]);
    expect(m.unexplained).toEqual([]);
    expect(quietFiring).toEqual([]);
    // Drift of actual durations away from the predictions: on the drifted pool only, soon after it starts.
    console.log(`drift alerts: ${drift.map((a) => `${a.entity} +${((a.event_time - DRIFT_AT) / 60_000).toFixed(1)} min`).join(', ')}`);
    expect(drift.map((a) => a.entity)).toEqual([DRIFT_POOL]);
    expect(drift[0]?.event_time).toBeGreaterThan(DRIFT_AT);
    expect((drift[0]?.event_time ?? Infinity) - DRIFT_AT).toBeLessThanOrEqual(2 * WINDOW_MS);
    // Every state change reached all three sinks exactly once.
    expect(noisy.topicMessages).toBe(noisy.alerts.length);
    expect(noisy.webhookPosts).toBe(noisy.alerts.length);
    expect(
      noisy.alerts.every((a) => a.state === 'FIRING' || noisy.alerts.some((b) => b.alert_id === a.alert_id && b.state === 'FIRING')),
    ).toBe(true);
  }, 180_000);
});
