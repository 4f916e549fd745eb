/** In-memory Kafka-like log and processor factory for the processor unit tests. */
import { silentLogger } from '../../../common/logger.js';
import { createMetrics } from '../../../common/metrics.js';
import { topicName } from '../../../common/topics.js';
import { createSchemaSet, type SchemaSet } from '../../../ingest/index.js';
import { createFeatureProcessor, type FeatureProcessor, type InputMessage } from '../../../processors/features/processor.js';
import { createProcessorMetrics, type ProcessorMetrics } from '../../../processors/features/processor-metrics.js';
import type { DeadLetter } from '../../../sinks/index.js';
import { encode, type GenMessage } from '../../integration/processors/support/fleet-events.js';
import type { FakeStore } from './fake-store.js';

export const PREFIX = 'unit';
export const TOPICS = {
  [topicName(PREFIX, 'events.build')]: 'build',
  [topicName(PREFIX, 'events.cache')]: 'cache',
  [topicName(PREFIX, 'events.resource')]: 'resource',
  [topicName(PREFIX, 'events.test')]: 'test',
} as const;

/** A partitioned log: `topic:partition` → messages with offsets. */
export type Log = Map<string, { topic: string; partition: number; messages: InputMessage[] }>;

const hash = (s: string): number => [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);

/** Appends generated messages to a log with `partitions` partitions per topic (key hash). */
export function toLog(
  schemas: SchemaSet,
  messages: readonly GenMessage[],
  partitions: number,
  mangle?: (i: number, b: Buffer) => Buffer,
): Log {
  const log: Log = new Map();
  messages.forEach((m, i) => {
    const topic = topicName(PREFIX, m.topic);
    const partition = hash(m.key) % partitions;
    const id = `${topic}:${partition}`;
    const p = log.get(id) ?? log.set(id, { topic, partition, messages: [] }).get(id);
    const bytes = encode(schemas, m);
    p?.messages.push({ offset: String(p.messages.length), key: Buffer.from(m.key), value: mangle ? mangle(i, bytes) : bytes });
  });
  return log;
}

/** A processor over a fake store, collecting dead letters. */
export function makeProcessor(
  store: FakeStore,
  letters: DeadLetter[],
  settings: Partial<{ allowedLatenessMs: number; watermarkDelayMs: number }> = {},
  groupId = 'g',
): { processor: FeatureProcessor; metrics: ProcessorMetrics } {
  const metrics = createProcessorMetrics(createMetrics({ defaultMetrics: false }));
  const processor = createFeatureProcessor({
    store,
    deadLetters: {
      async send(ls) {
        await Promise.resolve();
        letters.push(...ls);
      },
    },
    schemas: createSchemaSet(),
    topics: TOPICS,
    groupId,
    settings: {
      allowedLatenessMs: settings.allowedLatenessMs ?? 120_000,
      watermarkDelayMs: settings.watermarkDelayMs ?? 5_000,
      alpha: 0.2,
      lastN: 5,
    },
    logger: silentLogger(),
    metrics,
    now: () => 0,
  });
  return { processor, metrics };
}

/** Feature tables and combination state of a store (FINAL), for equality checks. */
export function featureTables(store: FakeStore): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const name of [...store.tables.keys()].sort())
    if (name.includes('_features_') || name === 'combination_state' || name.endsWith('_events') || name === 'test_results')
      out[name] = store.final(name);
  return out;
}
