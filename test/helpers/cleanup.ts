/**
 * Removes what an isolated test created (see `isolatedConfig`): its topics and its ClickHouse database.
 * Best effort: a cleanup failure is reported on stderr and never hides the test's own result.
 */
import type { Config } from '../../common/config.js';
import { createLogger } from '../../common/logger.js';
import { topicNames } from '../../common/topics.js';
import { createClickHouse, createKafka, ident } from '../../sinks/index.js';

/** Deletes the topics of `config.kafka.topicPrefix` and drops `config.clickhouse.database`. */
export async function dropIsolated(config: Config): Promise<void> {
  const report = (what: string) => (err: unknown) =>
    void process.stderr.write(`cleanup: ${what} failed: ${err instanceof Error ? err.message : String(err)}\n`);
  const admin = createKafka(config, createLogger({ level: 'warn' }), 'test-cleanup').admin();
  await admin
    .connect()
    .then(async () => {
      const mine = new Set(Object.values(topicNames(config.kafka.topicPrefix)));
      const existing = (await admin.listTopics()).filter((t) => mine.has(t));
      if (existing.length > 0) await admin.deleteTopics({ topics: existing });
    })
    .catch(report(`deleting the topics of ${config.kafka.topicPrefix}`))
    .finally(() => admin.disconnect());
  const ch = createClickHouse(config);
  await ch
    .command({ query: `DROP DATABASE IF EXISTS ${ident(config.clickhouse.database).text}` })
    .catch(report(`dropping ${config.clickhouse.database}`))
    .finally(() => ch.close());
}
