// 1% poison messages: every one dead-lettered with a reason, every valid event processed; throughput
// against a clean run of the same size is printed (a measurement, not a threshold).
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Partitioners } from 'kafkajs';
import { createLogger } from '../../common/logger.js';
import { topicNames } from '../../common/topics.js';
import { createSchemaSet } from '../../ingest/index.js';
import { applySchema, createKafka } from '../../sinks/index.js';
import { isolatedConfig, uniqueName, waitFor } from '../helpers/env.js';
import { checkEndState, say, seededEvents, startProcessor, stopChild, waitCommitted } from './harness.js';
import { dropIsolated } from '../helpers/cleanup.js';
import type { Config } from '../../common/config.js';
import type { Kafka } from 'kafkajs';

async function runOnce(kafka: Kafka, config: Config, poisonEvery: number): Promise<{ seconds: number; poison: number; events: number }> {
  const schemas = createSchemaSet();
  const topics = topicNames(config.kafka.topicPrefix);
  const events = seededEvents(30_000, 5);
  const messages: { key: string; value: Buffer }[] = [];
  let poison = 0;
  events.forEach((e, i) => {
    messages.push({ key: e.pool, value: schemas.encode('build', e) });
    if (poisonEvery > 0 && i % poisonEvery === 0) {
      poison++;
      const kinds = [randomBytes(40), Buffer.from('{"not":"avro"}'), schemas.encode('build', e).subarray(0, 14)];
      messages.push({ key: e.pool, value: kinds[poison % kinds.length] ?? Buffer.alloc(0) });
    }
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let i = 0; i < messages.length; i += 5000)
    await producer.send({ topic: topics['events.build'], acks: -1, messages: messages.slice(i, i + 5000) });
  await producer.disconnect();
  const group = uniqueName('g');
  const t0 = Date.now();
  const proc = startProcessor(config, group);
  try {
    await waitCommitted(kafka, config, group, 240_000, proc);
  } finally {
    await stopChild(proc);
  }
  const seconds = (Date.now() - t0) / 1000;
  const state = await checkEndState(config, events);
  expect(state.rawRowsFinal).toBe(events.length);
  expect(state.featureMismatches).toEqual([]);
  return { seconds, poison, events: events.length };
}

describe('fault: 1% poison messages', () => {
  const clean = isolatedConfig(uniqueName('fpc'));
  const dirty = isolatedConfig(uniqueName('fpd'));
  const logger = createLogger({ level: 'error' });
  const kafka = createKafka(clean, logger, 'fault-poison');
  afterAll(async () => {
    await dropIsolated(clean);
    await dropIsolated(dirty);
  });

  it('dead-letters every poison message with a reason and processes every valid one', async () => {
    await applySchema(clean, logger);
    await applySchema(dirty, logger);
    const a = await runOnce(kafka, clean, 0);
    const b = await runOnce(kafka, dirty, 100);
    const dlq = topicNames(dirty.kafka.topicPrefix).dlq;
    const admin = kafka.admin();
    await admin.connect();
    const inDlq = await waitFor('DLQ to hold every poison message', async () => {
      const n = (await admin.fetchTopicOffsets(dlq)).reduce((s, p) => s + Number(p.high), 0);
      return n >= b.poison ? n : undefined;
    });
    await admin.disconnect();
    const consumer = kafka.consumer({ groupId: uniqueName('dlq') });
    await consumer.connect();
    await consumer.subscribe({ topic: dlq, fromBeginning: true });
    const reasons: string[] = [];
    await consumer.run({ eachMessage: ({ message }) => Promise.resolve(void reasons.push(Object.keys(message.headers ?? {}).join(','))) });
    await waitFor('read the DLQ', () => reasons.length >= b.poison);
    await consumer.disconnect();
    say(
      `clean: ${a.events} events in ${a.seconds.toFixed(1)} s; poisoned: ${b.events} + ${b.poison} poison in ${b.seconds.toFixed(1)} s; throughput ratio ${(a.seconds / b.seconds).toFixed(2)}`,
    );
    say(`DLQ holds ${inDlq} messages; header sets seen: ${[...new Set(reasons)].join(' | ')}`);
    expect(inDlq).toBe(b.poison);
    for (const h of reasons) expect(h).toMatch(/code|reason|error/i);
  });
});
