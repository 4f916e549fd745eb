/**
 * The consume loop of `pulse process`: one kafkajs consumer group over the event topics, feeding the
 * feature processor batch by batch, flushing at least every `processor.flushIntervalMs` (or when
 * `processor.maxBufferedEvents` are pending) and committing offsets only after a flush succeeded.
 * When a flush fails (ClickHouse or Kafka down) consumption pauses — memory stays bounded — and the
 * flush is retried with exponential backoff until it succeeds; then consumption resumes.
 * Heartbeats continue while a batch waits for or runs a long flush, and a consumer that kafkajs gave
 * up on after a crash is restarted (re-join → state reloaded from checkpoints, committed offsets).
 */
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Config } from '../../common/config.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import { backoffDelay } from '../../common/retry.js';
import { topicNames } from '../../common/topics.js';
import { createSchemaSet, type SchemaSet } from '../../ingest/index.js';
import {
  createClickHouse,
  createClickHouseWriter,
  createDeadLetterProducer,
  createKafka,
  type ClickHouseClient,
} from '../../sinks/index.js';
import { createFeatureProcessor, type FeatureProcessor, type TopicFamilies } from '../features/processor.js';
import { createProcessorMetrics } from '../features/processor-metrics.js';
import { createClickHouseFeatureStore } from './clickhouse-store.js';
import { superviseConsumer, withHeartbeats } from './consumer-recovery.js';

/** A started processor of `pulse process`. */
export interface ProcessorHandle {
  readonly name: string;
  /** Flushes what it can, leaves the group and closes its clients. */
  stop(): Promise<void>;
}

/** Dependencies of {@link startFeatureProcessor}. */
export interface FeatureRuntimeDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** Consumer group (default `config.processor.groupId`). */
  groupId?: string;
  kafka?: Kafka;
  clickhouse?: ClickHouseClient;
  schemas?: SchemaSet;
}

/** Topic → family of the feature processor's inputs. */
export function featureTopics(prefix: string): TopicFamilies {
  const t = topicNames(prefix);
  return { [t['events.build']]: 'build', [t['events.cache']]: 'cache', [t['events.resource']]: 'resource', [t['events.test']]: 'test' };
}

/** Starts the feature processor; resolves once the consumer runs. */
export async function startFeatureProcessor(deps: FeatureRuntimeDeps): Promise<ProcessorHandle> {
  const { config, metrics } = deps;
  const groupId = deps.groupId ?? config.processor.groupId;
  const logger = deps.logger.child({ component: 'feature-processor', groupId });
  const kafka = deps.kafka ?? createKafka(config, deps.logger, 'process');
  const client = deps.clickhouse ?? createClickHouse(config);
  const writer = createClickHouseWriter({ client, database: config.clickhouse.database, logger, metrics, retry: { retries: 3 } });
  const topics = featureTopics(config.kafka.topicPrefix);
  const deadLetters = createDeadLetterProducer({
    kafka,
    topic: topicNames(config.kafka.topicPrefix).dlq,
    producerName: groupId,
    logger,
    metrics,
  });
  const pm = createProcessorMetrics(metrics);
  const processor: FeatureProcessor = createFeatureProcessor({
    store: createClickHouseFeatureStore(writer),
    deadLetters,
    schemas: deps.schemas ?? createSchemaSet(),
    topics,
    groupId,
    settings: {
      allowedLatenessMs: config.processor.allowedLatenessMs,
      watermarkDelayMs: config.processor.watermarkDelayMs,
      alpha: config.processor.ewmaAlpha,
      lastN: config.processor.lastDurations,
    },
    logger,
    metrics: pm,
  });
  const heartbeatInterval = Math.floor(config.processor.sessionTimeoutMs / 10);
  const consumer: Consumer = kafka.consumer({
    groupId,
    sessionTimeout: config.processor.sessionTimeoutMs,
    rebalanceTimeout: config.processor.sessionTimeoutMs,
    heartbeatInterval,
    maxWaitTimeInMs: 250,
  });

  // One mutex: batches, timer flushes and rebalance resets never interleave.
  let chain: Promise<unknown> = Promise.resolve();
  const locked = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = chain.then(fn);
    chain = p.catch(() => undefined);
    return p;
  };

  let paused = false;
  let failures = 0;
  let retryAt = 0;
  let lastFlush = Date.now();
  let stopping = false;
  const topicList = Object.keys(topics).map((topic) => ({ topic }));

  const flushAndCommit = async (): Promise<boolean> => {
    lastFlush = Date.now();
    let offsets;
    try {
      offsets = await processor.flush();
    } catch (err) {
      failures++;
      pm.flushFailures.inc();
      retryAt = Date.now() + backoffDelay(failures, { initialDelayMs: 500, maxDelayMs: 30_000, factor: 2 }, Math.random);
      if (!paused) {
        paused = true;
        pm.paused.set(1);
        consumer.pause(topicList);
      }
      logger.warn({ err: (err as Error).message, failures, retryInMs: retryAt - Date.now() }, 'flush failed: consumption paused');
      return false;
    }
    failures = 0;
    if (paused) {
      paused = false;
      pm.paused.set(0);
      consumer.resume(topicList);
      logger.info('flush succeeded: consumption resumed');
    }
    if (offsets.length > 0) {
      try {
        await consumer.commitOffsets(offsets);
      } catch (err) {
        // The checkpoint in ClickHouse is already ahead; whoever owns the partition next resumes from it.
        logger.warn({ err: (err as Error).message }, 'offset commit failed (rebalance?)');
      }
    }
    return true;
  };

  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    logger.info({ assignment: e.payload.memberAssignment }, 'joined group: reloading partition state from checkpoints');
    // A fresh consumer group (restart after a crash) does not carry over a pause of the old one.
    if (paused) consumer.pause(topicList);
    void locked(() => {
      processor.reset();
      return Promise.resolve();
    });
  });

  const runConsumer = (): Promise<void> =>
    consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        if (!payload.isRunning() || payload.isStale()) return;
        const end = pm.batchDuration.startTimer();
        // Waiting for the lock (a timer flush) and flushing can outlast the session timeout: keep beating.
        await withHeartbeats(
          () => payload.heartbeat(),
          heartbeatInterval,
          () => locked(() => handle(payload)),
        );
        end();
        await payload.heartbeat();
      },
    });

  const handle = async (payload: EachBatchPayload): Promise<void> => {
    const { batch } = payload;
    const outcome = await processor.handleBatch(batch.topic, batch.partition, batch.messages);
    if (outcome.seekTo !== undefined) {
      consumer.seek({ topic: batch.topic, partition: batch.partition, offset: outcome.seekTo });
      return;
    }
    const last = batch.messages.at(-1);
    if (last) {
      payload.resolveOffset(last.offset);
      pm.lag.set(
        { topic: batch.topic, partition: String(batch.partition) },
        Math.max(0, Number(batch.highWatermark) - Number(last.offset) - 1),
      );
    }
    const due = processor.pending() >= config.processor.maxBufferedEvents || Date.now() - lastFlush >= config.processor.flushIntervalMs;
    if (due && !paused) await flushAndCommit();
  };

  const stopSupervising = superviseConsumer({
    consumer: {
      onCrash: (listener) => consumer.on(consumer.events.CRASH, (e) => listener(e.payload)),
      restart: async () => {
        await consumer.connect();
        await runConsumer();
      },
    },
    logger,
    isStopping: () => stopping,
  });

  await consumer.connect();
  await consumer.subscribe({ topics: Object.keys(topics), fromBeginning: true });
  await runConsumer();

  const timer = setInterval(
    () => {
      if (stopping || (paused && Date.now() < retryAt)) return;
      if (!paused && Date.now() - lastFlush < config.processor.flushIntervalMs) return;
      locked(flushAndCommit).catch((err: unknown) => logger.error({ err }, 'flush loop error'));
    },
    Math.max(50, Math.floor(config.processor.flushIntervalMs / 2)),
  );

  logger.info({ topics: Object.keys(topics) }, 'feature processor started');
  return {
    name: 'features',
    async stop() {
      stopping = true;
      clearInterval(timer);
      stopSupervising();
      await locked(flushAndCommit).catch((err: unknown) => logger.warn({ err }, 'final flush failed'));
      await consumer.disconnect();
      await deadLetters.close();
      if (!deps.clickhouse) await client.close();
      logger.info('feature processor stopped');
    },
  };
}
