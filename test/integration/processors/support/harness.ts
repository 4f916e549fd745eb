/** Shared steps of the processor integration tests: isolated schema, waiting for catch-up, reading tables. */
import type { Kafka } from 'kafkajs';
import type { Config } from '../../../../common/config.js';
import { createLogger, type Logger } from '../../../../common/logger.js';
import { topicNames, TOPIC_SPECS, topicName } from '../../../../common/topics.js';
import { applySchema, createClickHouse, createKafka, ident, sql, type ClickHouseClient } from '../../../../sinks/index.js';
import { waitFor } from '../../../helpers/env.js';
import type { GenMessage } from './fleet-events.js';

/** Engines of one isolated test environment. */
export interface Env {
  config: Config;
  logger: Logger;
  kafka: Kafka;
  ch: ClickHouseClient;
  /** Drops the database and deletes the topics. */
  cleanup(): Promise<void>;
}

/** Creates topics and the database of `config` and returns clients. */
export async function setupEnv(config: Config): Promise<Env> {
  const logger = createLogger({ level: 'warn' });
  await applySchema(config, logger);
  const kafka = createKafka(config, logger, 'test');
  const ch = createClickHouse(config, { requestTimeoutMs: 120_000 });
  return {
    config,
    logger,
    kafka,
    ch,
    async cleanup() {
      await ch.command({ query: `DROP DATABASE IF EXISTS ${ident(config.clickhouse.database).text}` });
      await ch.close();
      const admin = kafka.admin();
      await admin.connect();
      try {
        const existing = new Set(await admin.listTopics());
        const mine = TOPIC_SPECS.map((t) => topicName(config.kafka.topicPrefix, t.id)).filter((t) => existing.has(t));
        if (mine.length > 0) await admin.deleteTopics({ topics: mine });
      } finally {
        await admin.disconnect();
      }
    },
  };
}

/** Selects rows (JSONEachRow). */
export async function rows<T = Record<string, unknown>>(ch: ClickHouseClient, query: { text: string }): Promise<T[]> {
  const rs = await ch.query({ query: query.text, format: 'JSONEachRow' });
  return rs.json<T>();
}

/** Messages per full topic name. */
export function countsByTopic(prefix: string, messages: readonly GenMessage[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of messages) {
    const t = topicName(prefix, m.topic);
    out.set(t, (out.get(t) ?? 0) + 1);
  }
  return out;
}

/** Waits until the group's checkpoints cover every produced message of every topic in `expected`. */
export async function waitCaughtUp(
  ch: ClickHouseClient,
  database: string,
  groupId: string,
  expected: Map<string, number>,
  timeoutMs = 90_000,
): Promise<void> {
  await waitFor(
    `checkpoints of ${groupId} to reach ${JSON.stringify([...expected])}`,
    async () => {
      const got = await rows<{ source: string; next_offset: string }>(
        ch,
        sql`SELECT source, next_offset FROM ${ident(`${database}.processor_checkpoints`)} FINAL WHERE group_id = ${groupId}`,
      );
      const sum = new Map<string, number>();
      for (const r of got) {
        const topic = r.source.slice(0, r.source.lastIndexOf(':'));
        sum.set(topic, (sum.get(topic) ?? 0) + Number(r.next_offset));
      }
      return [...expected].every(([topic, n]) => sum.get(topic) === n);
    },
    timeoutMs,
    300,
  );
}

/** The four event topics of a prefix. */
export function eventTopics(prefix: string): string[] {
  const t = topicNames(prefix);
  return [t['events.build'], t['events.cache'], t['events.resource'], t['events.test']];
}

/** Every feature table, read with FINAL and sorted by its key — for equality checks between runs. */
export async function featureSnapshot(ch: ClickHouseClient, database: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const orders: Record<string, string> = {
    pool: 'pool, window_start',
    combination: 'combination_key, window_start',
    module: 'module, window_start',
    executor: 'pool, executor, window_start',
  };
  for (const [entity, order] of Object.entries(orders))
    for (const size of ['1m', '5m', '1h']) {
      const table = `${entity}_features_${size}`;
      out[table] = await rows(ch, { text: `SELECT * FROM ${ident(`${database}.${table}`).text} FINAL ORDER BY ${order}` });
    }
  out.combination_state = await rows(ch, {
    text: `SELECT * FROM ${ident(`${database}.combination_state`).text} FINAL ORDER BY combination_key, pool`,
  });
  return out;
}
