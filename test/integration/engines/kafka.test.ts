// kafkajs 2.2.4 against the real Kafka 4.x broker: create topic, produce, consume in a group, commit.
import { afterAll, describe, expect, it } from 'vitest';
import { createKafka } from '../../../sinks/index.js';
import { silentLogger } from '../../../common/logger.js';
import { testConfig, uniqueName, waitFor } from '../../helpers/env.js';

describe('kafka (real broker)', () => {
  const config = testConfig();
  const kafka = createKafka(config, silentLogger(), 'engine-test');
  const topic = uniqueName('engine');
  const admin = kafka.admin();

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates a topic, produces idempotently, consumes in a group and commits offsets', async () => {
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })).toBe(true);

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const messages = Array.from({ length: 60 }, (_, i) => ({ key: `k${i % 6}`, value: `v${i}` }));
    await producer.send({ topic, acks: -1, messages });
    await producer.disconnect();

    const groupId = uniqueName('group');
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: string[] = [];
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message, partition }) => {
        seen.push(message.value?.toString() ?? '');
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      },
    });
    await waitFor('all 60 messages', () => seen.length >= 60, 30_000);
    await consumer.disconnect();

    expect(seen.sort()).toEqual(messages.map((m) => m.value).sort());
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committed = offsets[0]?.partitions.reduce((s, p) => s + Number(p.offset), 0);
    expect(committed).toBe(60);
  });
});
