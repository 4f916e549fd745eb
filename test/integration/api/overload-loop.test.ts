/**
 * End to end on the real stack: the fleet simulator's events for a pool flow through Kafka and the
 * processors into ClickHouse; the directive engine issues a first scaling directive; then the simulator's
 * next demand for the pool is replayed compressed into the last seconds (an arrival burst: overload).
 * The engine must raise the pool's desired slots within one interval; a test executor (a kafkajs
 * consumer acking like an agent) acks; builds then start quickly; the measured effect is recorded.
 */
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPredictor } from '../../../api/predict/load.js';
import { createRuntime, type Runtime } from '../../../api/server/runtime.js';
import { createMetrics } from '../../../common/metrics.js';
import { silentLogger } from '../../../common/logger.js';
import { topicNames } from '../../../common/topics.js';
import { createEventProducer, createSchemaSet, type BuildEvent, type Directive, type EventProducer } from '../../../ingest/index.js';
import { createFleetSimulation } from '../../../ingest/simulator/fleet.js';
import { startFeatureProcessor, type ProcessorHandle } from '../../../processors/index.js';
import { applySchema, createClickHouse, createKafka, ident, type ClickHouseClient } from '../../../sinks/index.js';
import { isolatedConfig, uniqueName, waitFor } from '../../helpers/env.js';

const INTERVAL_MS = 20_000;
const EFFECT_WINDOW_MS = 15_000;
const TOKEN = 'e2e-token-0123456789abcdef';
const POOL = 'pool-1';
const config = isolatedConfig(uniqueName('apie2e'), {
  'api.tokens': `${TOKEN}=read+write`,
  'directives.intervalMs': INTERVAL_MS,
  'directives.maxSlots': 40,
});
const logger = silentLogger();
const metrics = createMetrics({ defaultMetrics: false });
const schemas = createSchemaSet();
let ch: ClickHouseClient;
let processor: ProcessorHandle;
let runtime: Runtime;
let model: Awaited<ReturnType<typeof loadPredictor>>;
let producer: EventProducer;
let executor: Consumer;
const directives: Directive[] = [];
const acked = new Map<string, number>();

beforeAll(async () => {
  await applySchema(config, logger);
  ch = createClickHouse(config);
  processor = await startFeatureProcessor({ config, logger, metrics });
  // The models part's predictor (baselines until a champion is trained) sizes queued builds.
  model = await loadPredictor({ config, logger, metrics });
  runtime = await createRuntime(config, logger, metrics, {
    app: true,
    engine: true,
    predictor: model.predictor,
    checkIntervalMs: 1000,
    effectWindowMs: EFFECT_WINDOW_MS,
  });
  const kafka = createKafka(config, logger, 'e2e');
  producer = createEventProducer({ kafka, schemas, topicPrefix: config.kafka.topicPrefix, logger, metrics });
  // The test executor: reads its pool's scaling directives and acks each one, like an agent.
  executor = kafka.consumer({ groupId: `${config.kafka.topicPrefix}-test-executor` });
  await executor.connect();
  await executor.subscribe({ topic: topicNames(config.kafka.topicPrefix)['directives.scaling'], fromBeginning: true });
  await executor.run({
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      const d = schemas.decodeAs('directive', message.value);
      if (d.pool !== POOL) return;
      directives.push(d);
      const at = Date.now();
      await producer.send('directive-ack', {
        event_id: `ack-${d.directive_id}`,
        event_time: at,
        producer_id: 'test-executor',
        seq: directives.length,
        directive_id: d.directive_id,
        pool: d.pool,
        executor: `${POOL}-exec-01`,
        status: 'APPLIED',
        reason: `slots set to ${d.desired_slots ?? '-'}`,
      });
      acked.set(d.directive_id, at);
    },
  });
}, 170_000);

afterAll(async () => {
  await executor?.disconnect();
  await runtime?.close();
  await model?.close();
  await processor?.stop();
  await producer?.close();
  await ch?.command({ query: `DROP DATABASE IF EXISTS ${ident(config.clickhouse.database).text}` });
  await ch?.close();
});

function simulatedBuilds(seed: number, startMs: number, durationMs: number) {
  const sim = createFleetSimulation({ seed, pools: 1, executorsPerPool: 2, startMs, durationMs });
  return [...sim.events()];
}

describe('overload → directive → ack → measured effect', () => {
  it('raises desired slots within one interval of an arrival burst and records the effect', async () => {
    const t0 = Date.now();
    // 1. Calm history from the simulator: 8 minutes of the pool, ending a minute ago.
    const calm = simulatedBuilds(7, t0 - 9 * 60_000, 8 * 60_000);
    for (const e of calm) await producer.send(e.family, e.value as never);
    await producer.flush();
    const first = await waitFor('a first scaling directive for the pool', () => directives.find((d) => d.kind === 'SCALING'), 60_000);
    const baseline = first.desired_slots ?? 0;

    // 2. Overload: the simulator's next 3 hours of arrivals for the pool, replayed within the last 20 s,
    //    plus a few of them starting now after a long wait.
    const future = simulatedBuilds(8, t0, 3 * 3_600_000).filter(
      (e): e is { family: 'build'; value: BuildEvent } => e.family === 'build' && e.value.type === 'QUEUED',
    );
    expect(future.length).toBeGreaterThan(20);
    const t1 = Date.now();
    const burst = future.map((e, i) => ({
      ...e.value,
      event_id: `burst-${i}`,
      event_time: t1 - 20_000 + Math.floor((i * 20_000) / future.length),
    }));
    const startedLate = burst.slice(0, 6).map(
      (b, i): BuildEvent => ({
        ...b,
        event_id: `late-start-${i}`,
        type: 'STARTED',
        executor: `${POOL}-exec-01`,
        event_time: t1 - 10_000 + i * 2000,
        queue_wait_ms: 45_000 + i * 1000,
      }),
    );
    await producer.sendMany('build', [...burst, ...startedLate]);
    const raised = await waitFor(
      'a scaling directive above the baseline after the burst',
      () => directives.find((d) => d.kind === 'SCALING' && d.issued_at >= t1 && (d.desired_slots ?? 0) > baseline),
      INTERVAL_MS + 15_000,
    );
    // Within one interval of the burst (the engine observes every second and acts on significant change).
    expect(raised.issued_at - t1).toBeLessThan(INTERVAL_MS);
    expect(raised.reason.queued).toBeGreaterThan(10);
    const ackAt = await waitFor('the test executor acked it', () => acked.get(raised.directive_id), 15_000);

    // 3. With more slots, queued builds start after a short wait.
    const fast = burst.slice(6, 18).map(
      (b, i): BuildEvent => ({
        ...b,
        event_id: `fast-start-${i}`,
        type: 'STARTED',
        executor: `${POOL}-exec-02`,
        event_time: Math.max(Date.now(), ackAt + 1),
        queue_wait_ms: 1500 + i * 10,
      }),
    );
    await producer.sendMany('build', fast);

    // 4. The effect is measured once the after-window has passed: queue wait p95 after < before.
    const app = runtime.app!;
    const view = await waitFor(
      'measured effect of the raised directive',
      async () => {
        const r = await app.inject({
          method: 'GET',
          url: `/v1/directives/${raised.directive_id}`,
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        const d = r.json<{
          acks: unknown[];
          effect: { status: string; queue_wait_p95_before_ms: number | null; queue_wait_p95_after_ms: number | null };
        }>();
        return d.effect.status !== 'pending' ? d : undefined;
      },
      EFFECT_WINDOW_MS + 30_000,
    );
    process.stderr.write(
      `[overload-loop] baseline ${baseline} → desired ${raised.desired_slots} after ${raised.issued_at - t1} ms; ` +
        `queue wait p95 ${view.effect.queue_wait_p95_before_ms} → ${view.effect.queue_wait_p95_after_ms} ms\n`,
    );
    expect(view.acks).toHaveLength(1);
    expect(view.effect.status).toBe('measured');
    expect(view.effect.queue_wait_p95_before_ms).toBeGreaterThan(40_000);
    expect(view.effect.queue_wait_p95_after_ms).toBeLessThan(5_000);
  });
});
