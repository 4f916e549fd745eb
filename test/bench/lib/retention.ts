/**
 * Benchmarks pre-load events whose Kafka record timestamp is their event time (the Kafka Streams peer
 * windows on it), and seeded event times lie months in the past: with the broker's default 7-day
 * retention, Kafka may delete those segments in the middle of a run. Bench topics keep everything.
 */
import kafkajs, { type Kafka } from 'kafkajs';

// kafkajs is CommonJS: its enums are not visible as ESM named exports.
const { ConfigResourceTypes } = kafkajs;

/** Sets `retention.ms=-1` on the given (non-compacted) topics. */
export async function keepForever(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.alterConfigs({
      validateOnly: false,
      resources: topics.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configEntries: [{ name: 'retention.ms', value: '-1' }],
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
