/** Helpers of the ingest integration tests: own topics per test, and a consumer that decodes everything. */
import type { Kafka } from 'kafkajs';
import type { Config } from '../../../common/config.js';
import { TOPIC_SPECS, topicName } from '../../../common/topics.js';
import { createSchemaSet, keyFor, type AnyEvent } from '../../../ingest/index.js';
import { ensureTopics } from '../../../sinks/index.js';
import { uniqueName } from '../../helpers/env.js';

/** A decoded message with where it came from. */
export interface Received {
  topic: string;
  key: string;
  event: AnyEvent;
  /** Whether the key is the one the producer contract gives this event. */
  keyMatches: boolean;
}

/** Creates the config's topics. */
export async function createTopics(kafka: Kafka, config: Config): Promise<void> {
  await ensureTopics(kafka, {
    prefix: config.kafka.topicPrefix,
    partitions: config.kafka.partitions,
    replicationFactor: config.kafka.replicationFactor,
  });
}

/** Deletes every topic of the config's prefix. */
export async function deleteTopics(kafka: Kafka, config: Config): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: TOPIC_SPECS.map((t) => topicName(config.kafka.topicPrefix, t.id)) });
  } finally {
    await admin.disconnect();
  }
}

/** Consumes `topics` from the beginning, decoding every message; stop() ends it. */
export async function collect(
  kafka: Kafka,
  topics: string[],
): Promise<{ received: Received[]; errors: unknown[]; stop: () => Promise<void> }> {
  const schemas = createSchemaSet();
  const received: Received[] = [];
  const errors: unknown[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('ingest-it'), sessionTimeout: 10_000 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ topic, message }) => {
      try {
        const event = schemas.decode(message.value ?? Buffer.alloc(0));
        const key = message.key?.toString() ?? '';
        received.push({ topic, key, event, keyMatches: key === keyFor(event.family, event.value as never) });
      } catch (err) {
        errors.push(err);
      }
      return Promise.resolve();
    },
  });
  return { received, errors, stop: () => consumer.disconnect() };
}
