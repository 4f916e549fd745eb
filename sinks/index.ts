/** Public surface of the sinks part: ClickHouse and Kafka writers, SQL binding, schema management. */
export { createClickHouse, type ClickHouseClient, type ClickHouseOptions } from './clickhouse/client.js';
export { escapeValue, ident, joinSql, raw, sql, SqlFragment, type SqlValue } from './clickhouse/sql.js';
export { migrate, loadMigrations, splitStatements, MIGRATIONS_DIR, type Migration, type MigrateResult } from './clickhouse/migrate.js';
export { createKafka } from './kafka/client.js';
export { ensureTopics, type EnsureTopicsResult } from './kafka/topics.js';
export { applySchema, type SchemaResult } from './schema.js';
export {
  createDirectivePublisher,
  type DirectivePosition,
  type DirectivePublisher,
  type DirectivePublisherDeps,
} from './kafka/directive-publisher.js';
export {
  createClickHouseWriter,
  isRetriableClickHouseError,
  type ClickHouseWriter,
  type ClickHouseWriterDeps,
} from './clickhouse/writer.js';
export {
  chunkBySize,
  createDeadLetterProducer,
  DLQ_CHUNK_BYTES,
  deadLetterHeaders,
  readDeadLetterHeaders,
  DLQ_HEADERS,
  type DeadLetter,
  type DeadLetterProducer,
  type DeadLetterProducerDeps,
} from './kafka/dlq.js';
export {
  createAlertPublisher,
  createWebhookDeadLetterPublisher,
  type AlertPublisher,
  type AlertPublisherDeps,
} from './kafka/alert-publisher.js';
export {
  createWebhookDelivery,
  toAlertmanagerPayload,
  type AlertmanagerPayload,
  type DeadLetterSink,
  type DeliveryResult,
  type WebhookDeadLetter,
  type WebhookDelivery,
} from './webhooks/index.js';
