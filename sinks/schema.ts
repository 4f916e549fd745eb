/** `pulse migrate`: Kafka topics and ClickHouse migrations in one idempotent step. */
import type { Config } from '../common/config.js';
import type { Logger } from '../common/logger.js';
import { createClickHouse } from './clickhouse/client.js';
import { migrate, type MigrateResult } from './clickhouse/migrate.js';
import { createKafka } from './kafka/client.js';
import { ensureTopics, type EnsureTopicsResult } from './kafka/topics.js';

/** What {@link applySchema} did. */
export interface SchemaResult {
  topics: EnsureTopicsResult;
  clickhouse: MigrateResult;
}

/** Creates missing topics and applies pending ClickHouse migrations. */
export async function applySchema(config: Config, logger: Logger, progress: (m: string) => void = () => undefined): Promise<SchemaResult> {
  const kafka = createKafka(config, logger, 'migrate');
  const topics = await ensureTopics(kafka, {
    prefix: config.kafka.topicPrefix,
    partitions: config.kafka.partitions,
    replicationFactor: config.kafka.replicationFactor,
  });
  if (topics.created.length > 0) progress(`created ${topics.created.length} topics`);
  const client = createClickHouse(config);
  try {
    const clickhouse = await migrate(client, config.clickhouse.database, { progress });
    return { topics, clickhouse };
  } finally {
    await client.close();
  }
}
