/** Creates the Kafka topics of the topic contract (common/topics.ts); idempotent. */
import type { Kafka } from 'kafkajs';
import { KafkaError } from '../../common/errors.js';
import { TOPIC_SPECS, topicName } from '../../common/topics.js';

/** What {@link ensureTopics} did. */
export interface EnsureTopicsResult {
  created: string[];
  existing: string[];
}

/** Creates missing topics with their partitions and compaction. Existing topics are left as they are. */
export async function ensureTopics(
  kafka: Kafka,
  options: { prefix: string; partitions: number; replicationFactor: number },
): Promise<EnsureTopicsResult> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = TOPIC_SPECS.map((t) => ({ spec: t, name: topicName(options.prefix, t.id) }));
    const missing = wanted.filter((w) => !existing.has(w.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map(({ spec, name }) => ({
          topic: name,
          numPartitions: spec.partitions ?? options.partitions,
          replicationFactor: options.replicationFactor,
          configEntries: spec.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
        })),
      });
    }
    return { created: missing.map((m) => m.name), existing: wanted.filter((w) => existing.has(w.name)).map((w) => w.name) };
  } catch (err) {
    throw new KafkaError('createTopics', (err as Error).message, { cause: err });
  } finally {
    await admin.disconnect();
  }
}
