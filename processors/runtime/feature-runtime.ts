/**
 * The consume loop of `pulse process`: one kafkajs consumer group over the event topics, feeding the
 * feature processor batch by batch, capturing a flush at least every `processor.flushIntervalMs` (or
 * when `processor.maxBufferedEvents` are pending) and writing it in the background while the next
 * events are applied (one flush in flight; a full buffer waits for it). Offsets are committed only
 * after their flush was written. When a flush fails (ClickHouse or Kafka down) consumption pauses —
 * memory stays bounded — and the flush is retried with exponential backoff until it succeeds; then
 * consumption resumes.
 * Heartbeats continue while a batch waits for or runs a long flush, and a consumer that kafkajs gave
 * up on after a crash is restarted (re-join → state reloaded from checkpoints, committed offsets).
 */
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Config } from '../../common/config.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
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
import { createFlushWriter } from './flush-writer.js';

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
  // What holds the lock since when (a stuck holder stalls everything: it is logged by the timer).
  let holder: { what: string; since: number; reported: boolean } | undefined;
  const locked = <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const p = chain.then(async () => {
      holder = { what, since: Date.now(), reported: false };
      try {
        return await fn();
      } finally {
        holder = undefined;
      }
    });
    chain = p.catch(() => undefined);
    return p;
  };
  let joinedAt = 0;

  let paused = false;
  let lastFlush = Date.now();
  let stopping = false;
  const topicList = Object.keys(topics).map((topic) => ({ topic }));

  const flushes = createFlushWriter({
    write: (job) => processor.write(job),
    commit: (offsets) => consumer.commitOffsets(offsets),
    onFailure(err, failures, retryInMs) {
      pm.flushFailures.inc();
      if (!paused) {
        paused = true;
        pm.paused.set(1);
        consumer.pause(topicList);
      }
      logger.warn({ err: (err as Error).message, failures, retryInMs }, 'flush failed: consumption paused');
    },
    onRecovered() {
      if (!paused) return;
      paused = false;
      pm.paused.set(0);
      consumer.resume(topicList);
      logger.info('flush succeeded: consumption resumed');
    },
    isStopping: () => stopping,
    logger,
  });

  /**
   * Captures a flush and hands it to the background writer. While the previous one is still being
   * written this waits for it only when `force` or when the buffer is full (back-pressure: bounded memory).
   */
  const startFlush = async (force: boolean): Promise<void> => {
    if (flushes.busy()) {
      if (!force && processor.pending() < config.processor.maxBufferedEvents) return;
      await flushes.idle();
    }
    lastFlush = Date.now();
    const job = processor.capture();
    if (job) flushes.start(job);
  };

  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    logger.info({ assignment: e.payload.memberAssignment }, 'joined group: reloading partition state from checkpoints');
    joinedAt = Date.now();
    void locked('reset', () => {
      // A flush still being written for the old assignment is dropped (the partitions' owners replay
      // it from their checkpoints), and with it a pause it caused.
      flushes.abandon();
      if (paused) {
        paused = false;
        pm.paused.set(0);
        consumer.resume(topicList);
      }
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
          () => locked('batch', () => handle(payload)),
        );
        end();
        await payload.heartbeat();
      },
    });

  const handle = async (payload: EachBatchPayload): Promise<void> => {
    const { batch } = payload;
    if (joinedAt !== 0) {
      logger.info(
        { topic: batch.topic, partition: batch.partition, offset: batch.firstOffset() },
        'consuming after (re-)joining the group',
      );
      joinedAt = 0;
    }
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
    if (due) await startFlush(false);
  };

  let subscribed = false;
  const supervisor = superviseConsumer({
    consumer: {
      onCrash: (listener) => consumer.on(consumer.events.CRASH, (e) => listener(e.payload)),
      restart: async () => {
        await consumer.connect();
        if (!subscribed) {
          await consumer.subscribe({ topics: Object.keys(topics), fromBeginning: true });
          subscribed = true;
        }
        await runConsumer();
      },
    },
    logger,
    isStopping: () => stopping,
  });
  await supervisor.start();

  const timer = setInterval(
    () => {
      if (holder && !holder.reported && Date.now() - holder.since > config.processor.sessionTimeoutMs) {
        holder.reported = true;
        logger.warn(
          { holder: holder.what, heldMs: Date.now() - holder.since },
          'processor lock held for long: consumption stalls meanwhile',
        );
      }
      if (stopping || flushes.busy() || processor.pending() === 0) return;
      if (Date.now() - lastFlush < config.processor.flushIntervalMs) return;
      locked('flush', () => startFlush(false)).catch((err: unknown) => logger.error({ err }, 'flush loop error'));
    },
    Math.max(50, Math.floor(config.processor.flushIntervalMs / 2)),
  );

  logger.info({ topics: Object.keys(topics) }, 'feature processor started');
  return {
    name: 'features',
    async stop() {
      stopping = true;
      clearInterval(timer);
      supervisor.cancel();
      await locked('final flush', async () => {
        await startFlush(true);
        await flushes.idle();
      }).catch((err: unknown) => logger.warn({ err }, 'final flush failed'));
      await consumer.disconnect();
      await deadLetters.close();
      if (!deps.clickhouse) await client.close();
      logger.info('feature processor stopped');
    },
  };
}
