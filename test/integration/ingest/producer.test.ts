import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../common/errors.js';
import { createLogger } from '../../../common/logger.js';
import { createMetrics } from '../../../common/metrics.js';
import { topicNames } from '../../../common/topics.js';
import { createEventProducer, createSchemaSet, generateFleet, type ResourceEvent } from '../../../ingest/index.js';
import { createKafka } from '../../../sinks/index.js';
import { isolatedConfig, waitFor } from '../../helpers/env.js';
import { collect, createTopics, deleteTopics } from './kafka-helpers.js';

const config = isolatedConfig();
const logger = createLogger({ level: 'warn' });
const kafka = createKafka(config, logger, 'producer-it');

describe('event producer with real Kafka', () => {
  beforeAll(async () => {
    await createTopics(kafka, config);
  });
  afterAll(async () => {
    await deleteTopics(kafka, config);
  });

  it('validates before sending, applies backpressure, and counts what Kafka acknowledged', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    // Tiny limits: 300 messages must pass through a window of 16.
    const producer = createEventProducer({
      kafka,
      schemas: createSchemaSet(),
      topicPrefix: config.kafka.topicPrefix,
      logger,
      metrics,
      maxPending: 16,
      compression: 'gzip',
    });
    const { events } = generateFleet({ seed: 2, pools: 1, executorsPerPool: 2, startMs: Date.UTC(2026, 0, 5), durationMs: 3_600_000 });
    const resources = events.flatMap((e) => (e.family === 'resource' ? [e.value] : [])).slice(0, 300);
    expect(resources).toHaveLength(300);
    const bad = { ...resources[0], slots: 'many' } as unknown as ResourceEvent;
    await expect(producer.sendMany('resource', [...resources.slice(0, 5), bad])).rejects.toThrow(ValidationError);
    await expect(producer.send('resource', bad)).rejects.toMatchObject({ fieldPath: 'slots' });

    let peak = 0;
    const probe = setInterval(() => (peak = Math.max(peak, producer.stats().pendingMessages)), 1);
    await Promise.all(resources.map((r) => producer.send('resource', r)));
    clearInterval(probe);
    const topic = topicNames(config.kafka.topicPrefix)['events.resource'];
    expect(producer.stats().messages).toEqual({ [topic]: 300 });
    expect(producer.stats().pendingMessages).toBe(0);
    expect(peak).toBeLessThanOrEqual(16);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(new RegExp(`ingest_producer_messages_total\\{topic="${topic}"\\} 300`));
    await producer.close();

    const c = await collect(kafka, [topic]);
    try {
      await waitFor('300 resource events', () => c.received.length >= 300, 60_000);
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await c.stop();
    }
    // The refused batch wrote nothing: exactly the 300 sent one by one.
    expect(c.received).toHaveLength(300);
    expect(c.received.every((r) => r.keyMatches)).toBe(true);
    // Per key (executor), order is kept.
    const byExec = new Map<string, number[]>();
    for (const r of c.received) byExec.set(r.key, [...(byExec.get(r.key) ?? []), r.event.value.seq]);
    for (const seqs of byExec.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
});
