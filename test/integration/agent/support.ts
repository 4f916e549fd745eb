/**
 * Shared set-up of the agent integration tests: own topics (unique prefix) on the real Kafka, the real
 * Docker engine with a unique cache namespace (so builds start cold and their layers can be removed),
 * an event collector reading the output topics, and agents wired like `pulse agent` does.
 */
import type { Kafka } from 'kafkajs';
import type Docker from 'dockerode';
import type { Config } from '../../../common/config.js';
import { createLogger, type Logger } from '../../../common/logger.js';
import { createMetrics } from '../../../common/metrics.js';
import { topicNames, type TopicId } from '../../../common/topics.js';
import {
  createAgent,
  dockerFromConfig,
  NAMESPACE_LABEL,
  removeImagesByLabel,
  type Agent,
  type AgentOptions,
} from '../../../ingest/agent/index.js';
import {
  createEventProducer,
  createSchemaSet,
  type AnyEvent,
  type EventProducer,
  type Family,
  type FamilyTypes,
  type SchemaSet,
} from '../../../ingest/index.js';
import { createKafka, ensureTopics } from '../../../sinks/index.js';
import { isolatedConfig, uniqueName } from '../../helpers/env.js';

/** Everything a test needs. */
export interface AgentEnv {
  config: Config;
  kafka: Kafka;
  docker: Docker;
  schemas: SchemaSet;
  producer: EventProducer;
  logger: Logger;
  namespace: string;
  pool: string;
  events: AnyEvent[];
  agent(options: Partial<AgentOptions> & { executor: string }): Agent;
  cleanup(): Promise<void>;
}

/** Creates topics, a collector on the output topics, and a way to make agents. */
export async function setupAgentEnv(name: string): Promise<AgentEnv> {
  const prefix = uniqueName(name);
  const config = isolatedConfig(prefix);
  const logger = createLogger({ level: process.env.PULSE_LOG_LEVEL ?? 'warn' });
  const kafka = createKafka(config, logger, prefix);
  await ensureTopics(kafka, { prefix, partitions: 3, replicationFactor: 1 });
  const schemas = createSchemaSet();
  const producer = createEventProducer({ kafka, schemas, topicPrefix: prefix, logger, metrics: createMetrics({ defaultMetrics: false }) });
  const docker = dockerFromConfig(config);
  const namespace = `it-${prefix}`.replace(/_/g, '-');
  const pool = `pool-${prefix}`.replace(/_/g, '-');
  const events: AnyEvent[] = [];
  const topics = topicNames(prefix);
  const ids: TopicId[] = ['events.build', 'events.cache', 'events.resource', 'directives.ack'];
  const collector = kafka.consumer({ groupId: `${prefix}-collector`, maxWaitTimeInMs: 200 });
  await collector.connect();
  await collector.subscribe({ topics: ids.map((id) => topics[id]), fromBeginning: true });
  await collector.run({
    eachMessage: ({ message }) => {
      if (message.value) events.push(schemas.decode(message.value));
      return Promise.resolve();
    },
  });
  const agents: Agent[] = [];
  return {
    config,
    kafka,
    docker,
    schemas,
    producer,
    logger,
    namespace,
    pool,
    events,
    agent(options) {
      const agent = createAgent({
        config,
        kafka,
        docker,
        schemas,
        producer,
        logger,
        metrics: createMetrics({ defaultMetrics: false }),
        options: { pool, slots: 1, resourceIntervalMs: 500, buildTimeoutMs: 120_000, cacheNamespace: namespace, ...options },
      });
      agents.push(agent);
      return agent;
    },
    async cleanup() {
      const abort = new AbortController();
      abort.abort();
      await Promise.all(agents.map((a) => a.stop(abort.signal)));
      await collector.disconnect();
      await producer.close();
      await removeImagesByLabel(docker, `${NAMESPACE_LABEL}=${namespace}`);
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.deleteTopics({ topics: Object.values(topics) });
      } finally {
        await admin.disconnect();
      }
    },
  };
}

/** Events of one family, narrowed. */
export function ofFamily<F extends Family>(events: readonly AnyEvent[], family: F): FamilyTypes[F][] {
  return events.filter((e) => e.family === family).map((e) => e.value as FamilyTypes[F]);
}
