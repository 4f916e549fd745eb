import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../common/logger.js';
import { createMetrics } from '../../../common/metrics.js';
import { topicNames } from '../../../common/topics.js';
import { parseTokens } from '../../../api/auth/tokens.js';
import { createAuthorize } from '../../../api/plugins/auth.js';
import { registerErrorHandling } from '../../../api/plugins/errors.js';
import {
  AVRO_BATCH_CONTENT_TYPE,
  AVRO_CONTENT_TYPE,
  createEventProducer,
  createSchemaSet,
  frameAvroBatch,
  ingestGateway,
  type EventProducer,
} from '../../../ingest/index.js';
import { createKafka } from '../../../sinks/index.js';
import { isolatedConfig, waitFor } from '../../helpers/env.js';
import { collect, createTopics, deleteTopics, type Received } from './kafka-helpers.js';

const INGEST = 'ingest-token-0123456789';
const READER = 'reader-token-0123456789';
const config = isolatedConfig();
const logger = createLogger({ level: 'warn' });
const kafka = createKafka(config, logger, 'gw-it');
const schemas = createSchemaSet();
const topic = topicNames(config.kafka.topicPrefix)['events.cache'];

const cacheEvent = (seq: number, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  event_id: `gw-${seq}`,
  event_time: 1_767_600_000_000 + seq,
  producer_id: 'gw-client',
  seq,
  executor: `x${seq % 3}`,
  pool: 'pool-1',
  layer_key: `sha256:${seq}`,
  hit: seq % 2 === 0,
  bytes: 100 * seq,
  latency_ms: 2.5,
  tier: 'REMOTE',
  ...over,
});

let app: FastifyInstance;
let producer: EventProducer;
let consumer: { received: Received[]; errors: unknown[]; stop: () => Promise<void> };

const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${INGEST}` }, family = 'cache') =>
  app.inject({
    method: 'POST',
    url: `/v1/events/${family}`,
    headers: { 'content-type': 'application/json', ...headers },
    payload: Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });

describe('ingest gateway with real Kafka', () => {
  beforeAll(async () => {
    await createTopics(kafka, config);
    const metrics = createMetrics({ defaultMetrics: false });
    producer = createEventProducer({ kafka, schemas, topicPrefix: config.kafka.topicPrefix, logger, metrics });
    app = Fastify();
    registerErrorHandling(app, metrics);
    const authorize = createAuthorize(parseTokens(`${INGEST}=ingest,${READER}=read`));
    await app.register(ingestGateway, { producer, schemas, maxBatch: 50, maxBodyBytes: 64 * 1024, authorize: authorize('ingest') });
    await app.ready();
    consumer = await collect(kafka, [topic]);
  });
  afterAll(async () => {
    await consumer.stop();
    await app.close();
    await producer.close();
    await deleteTopics(kafka, config);
  });

  it('refuses requests without a token (401) or without the ingest scope (403)', async () => {
    const none = await post([cacheEvent(900)], {});
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'PULSE_ERR_AUTH' });
    expect((await post([cacheEvent(901)], { authorization: `Bearer ${READER}` })).statusCode).toBe(403);
    expect((await post([cacheEvent(902)], { authorization: 'Bearer wrong-token-0000000000' })).statusCode).toBe(401);
  });

  it('an invalid batch is refused with 400 naming the field, and writes nothing', async () => {
    const res = await post([cacheEvent(800), cacheEvent(801), cacheEvent(802, { tier: 'DISK' })]);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'PULSE_ERR_VALIDATION', details: { field: '[2].tier' } });
    const missing = await post(cacheEvent(803, { pool: undefined }));
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ details: { field: string } }>().details.field).toBe('pool');
    const notJson = await post(Buffer.from('{"oops"'));
    expect(notJson.statusCode).toBe(400);
    expect((await post([cacheEvent(804)], undefined, 'nope')).statusCode).toBe(404);
  });

  it('limits: more events than maxBatch or a body over maxBodyBytes → 413', async () => {
    const many = await post(Array.from({ length: 51 }, (_, i) => cacheEvent(700 + i)));
    expect(many.statusCode).toBe(413);
    const big = await post([cacheEvent(699, { layer_key: 'x'.repeat(70 * 1024) })]);
    expect(big.statusCode).toBe(413);
    expect(big.json<{ code: string }>().code).toBe('PULSE_ERR_TOO_LARGE');
  });

  it('valid JSON and Avro batches → 202 after Kafka acked, and exactly those messages are on the topic', async () => {
    const json = await post([cacheEvent(1), cacheEvent(2, { build_id: 'b2' }), cacheEvent(3)]);
    expect(json.statusCode).toBe(202);
    expect(json.json()).toEqual({ accepted: 3, family: 'cache' });
    const single = await post(schemas.encode('cache', cacheEvent(4) as never), {
      authorization: `Bearer ${INGEST}`,
      'content-type': AVRO_CONTENT_TYPE,
    });
    expect(single.statusCode).toBe(202);
    const batch = frameAvroBatch([schemas.encode('cache', cacheEvent(5) as never), schemas.encode('cache', cacheEvent(6) as never)]);
    const avro = await post(batch, { authorization: `Bearer ${INGEST}`, 'content-type': AVRO_BATCH_CONTENT_TYPE });
    expect(avro.json()).toEqual({ accepted: 2, family: 'cache' });
    const wrong = await post(
      schemas.encode('cache', cacheEvent(7) as never),
      { authorization: `Bearer ${INGEST}`, 'content-type': AVRO_CONTENT_TYPE },
      'build',
    );
    expect(wrong.statusCode).toBe(400);

    await waitFor('6 gateway messages', () => consumer.received.length >= 6, 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(consumer.errors).toEqual([]);
    // Only the accepted events: none of the refused requests (seq ≥ 600) reached Kafka.
    expect(consumer.received.map((r) => r.event.value.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(consumer.received.every((r) => r.keyMatches)).toBe(true);
    const two = consumer.received.find((r) => r.event.value.seq === 2)?.event.value as { build_id: string | null };
    const one = consumer.received.find((r) => r.event.value.seq === 1)?.event.value as { build_id: string | null };
    expect(two.build_id).toBe('b2');
    expect(one.build_id).toBeNull();
  });
});
