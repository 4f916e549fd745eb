/**
 * The API against the real stack: auth on a real server, a manual directive with a write token lands on
 * the right compacted topic (key = pool, Avro) and in `directives`; an ack on `directives.ack` is
 * recorded by the engine's ack consumer and shown with the directive.
 */
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDirectiveRecorder } from '../../../api/directives/recorder.js';
import { unavailablePredictor } from '../../../api/predict/unavailable.js';
import { createRuntime, type Runtime } from '../../../api/server/runtime.js';
import { createMetrics } from '../../../common/metrics.js';
import { silentLogger } from '../../../common/logger.js';
import { topicNames } from '../../../common/topics.js';
import { createEventProducer, createSchemaSet, type Directive, type EventProducer } from '../../../ingest/index.js';
import { applySchema, createClickHouse, createKafka, ident, type ClickHouseClient } from '../../../sinks/index.js';
import { isolatedConfig, uniqueName, waitFor } from '../../helpers/env.js';

const READ = 'it-read-token-0123456789';
const WRITE = 'it-write-token-0123456789';
const config = isolatedConfig(uniqueName('apidir'), { 'api.tokens': `${READ}=read,${WRITE}=write+read` });
const topics = topicNames(config.kafka.topicPrefix);
const logger = silentLogger();
const schemas = createSchemaSet();
let runtime: Runtime;
let ch: ClickHouseClient;
let producer: EventProducer;
let consumer: Consumer;
const seen: { topic: string; key: string; value: Directive }[] = [];

const auth = (t: string) => ({ authorization: `Bearer ${t}` });

beforeAll(async () => {
  await applySchema(config, logger);
  ch = createClickHouse(config);
  runtime = await createRuntime(config, logger, createMetrics({ defaultMetrics: false }), {
    app: true,
    engine: true,
    predictor: unavailablePredictor('not needed here'),
    checkIntervalMs: 500,
  });
  const kafka = createKafka(config, logger, 'it-api');
  producer = createEventProducer({
    kafka,
    schemas,
    topicPrefix: config.kafka.topicPrefix,
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
  });
  consumer = kafka.consumer({ groupId: `${config.kafka.topicPrefix}-it-watch` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics['directives.scaling'], topics['directives.cache-warm']], fromBeginning: true });
  await consumer.run({
    eachMessage: ({ topic, message }) => {
      if (message.value) seen.push({ topic, key: message.key?.toString() ?? '', value: schemas.decodeAs('directive', message.value) });
      return Promise.resolve();
    },
  });
}, 120_000);

afterAll(async () => {
  await consumer?.disconnect();
  await producer?.close();
  await runtime?.close();
  await ch?.command({ query: `DROP DATABASE IF EXISTS ${ident(config.clickhouse.database).text}` });
  await ch?.close();
});

describe('manual directives on the real stack', () => {
  it('401 without a token, 403 with a read token, nothing published', async () => {
    const app = runtime.app!;
    const body = { pool: 'pool-a', kind: 'SCALING', desired_slots: 3 };
    const none = await app.inject({ method: 'POST', url: '/v1/directives', payload: body });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'PULSE_ERR_AUTH' });
    const read = await app.inject({ method: 'POST', url: '/v1/directives', headers: auth(READ), payload: body });
    expect(read.statusCode).toBe(403);
    expect(read.json()).toMatchObject({ code: 'PULSE_ERR_FORBIDDEN' });
    const rows = await ch.query({
      query: `SELECT count() AS n FROM ${ident(config.clickhouse.database).text}.directives`,
      format: 'JSONEachRow',
    });
    expect(Number((await rows.json<{ n: string }>())[0]?.n)).toBe(0);
  });

  it('a write token publishes a scaling directive keyed by pool and records it; an ack shows up with it', async () => {
    const app = runtime.app!;
    const r = await app.inject({
      method: 'POST',
      url: '/v1/directives',
      headers: auth(WRITE),
      payload: { pool: 'pool-a', kind: 'SCALING', desired_slots: 7, reason_text: 'it test' },
    });
    expect(r.statusCode, r.body).toBe(201);
    const issued = r.json<{ directive_id: string; topic: string; offset: string }>();
    expect(issued.topic).toBe(topics['directives.scaling']);
    const msg = await waitFor(
      'directive on the scaling topic',
      () => seen.find((s) => s.value.directive_id === issued.directive_id),
      30_000,
    );
    expect(msg).toMatchObject({
      topic: topics['directives.scaling'],
      key: 'pool-a',
      value: { kind: 'SCALING', desired_slots: 7, pool: 'pool-a', warm: [] },
    });

    const db = ident(config.clickhouse.database).text;
    const rs = await ch.query({
      query: `SELECT pool, kind, source, desired_slots, topic, kafka_offset, effect_status FROM ${db}.directives FINAL WHERE directive_id = '${issued.directive_id}'`,
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([
      {
        pool: 'pool-a',
        kind: 'SCALING',
        source: 'manual',
        desired_slots: 7,
        topic: topics['directives.scaling'],
        kafka_offset: issued.offset,
        effect_status: 'pending',
      },
    ]);

    await producer.send('directive-ack', {
      event_id: `ack-${issued.directive_id}`,
      event_time: Date.now(),
      producer_id: 'it-executor',
      seq: 1,
      directive_id: issued.directive_id,
      pool: 'pool-a',
      executor: 'exec-1',
      status: 'APPLIED',
      reason: 'scaled',
    });
    const view = await waitFor(
      'ack recorded',
      async () => {
        const g = await app.inject({ method: 'GET', url: `/v1/directives/${issued.directive_id}`, headers: auth(READ) });
        const d = g.json<{ acks: { executor: string; status: string }[] }>();
        return d.acks.length > 0 ? d : undefined;
      },
      30_000,
    );
    expect(view.acks).toEqual([expect.objectContaining({ executor: 'exec-1', status: 'APPLIED', reason: 'scaled' })]);
  });

  it('a cache-warm directive goes to the cache-warm topic; an injection-like pool name is data end to end', async () => {
    const app = runtime.app!;
    const pool = "' OR 1=1 -- \\'; DROP TABLE directives; 池";
    const r = await app.inject({
      method: 'POST',
      url: '/v1/directives',
      headers: auth(WRITE),
      payload: { pool, kind: 'CACHE_WARM', warm: [{ combination: ['base@1', 'openssl@3'], expected_saving_ms: 1200 }] },
    });
    expect(r.statusCode, r.body).toBe(201);
    const issued = r.json<{ directive_id: string; topic: string }>();
    expect(issued.topic).toBe(topics['directives.cache-warm']);
    const msg = await waitFor(
      'directive on the cache-warm topic',
      () => seen.find((s) => s.value.directive_id === issued.directive_id),
      30_000,
    );
    expect(msg.key).toBe(pool);
    const list = await app.inject({ method: 'GET', url: `/v1/directives?pool=${encodeURIComponent(pool)}`, headers: auth(READ) });
    const ds = list.json<{ directives: { directive_id: string; pool: string; warm: unknown }[] }>().directives;
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({
      directive_id: issued.directive_id,
      pool,
      warm: [{ combination: ['base@1', 'openssl@3'], expected_saving_ms: 1200 }],
    });
    const all = await app.inject({ method: 'GET', url: '/v1/directives', headers: auth(READ) });
    expect(all.json<{ directives: unknown[] }>().directives).toHaveLength(2);
    // Expired and never acked → listed for `not_acked`; the acked scaling directive is not.
    const recorder = createDirectiveRecorder({ clickhouse: ch, database: config.clickhouse.database });
    const unacked = await recorder.unackedExpired(Date.now() + 3_600_000, 10);
    expect(unacked.map((u) => u.directiveId)).toEqual([issued.directive_id]);
    expect(await recorder.unackedExpired(Date.now(), 10)).toEqual([]);
  });
});
