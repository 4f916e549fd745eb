/**
 * The online scorer: a consumer group on `<prefix>.events.build` that writes a `predictions` row for
 * every QUEUED and STARTED event, scored by the models part's predictor (champion model, hot reload,
 * feature state warmed from ClickHouse and kept current by the same events). Offsets are committed only
 * after the batch's rows are written. Undecodable messages are counted and skipped here: the feature
 * processor reads the same topic and is the one that dead-letters them.
 */
import type { Kafka } from 'kafkajs';
import type { Config } from '../../common/config.js';
import { DecodeError, ValidationError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import { topicNames } from '../../common/topics.js';
import { createSchemaSet, type BuildEvent, type SchemaSet } from '../../ingest/index.js';
import { createPredictor, createRegistry, type Predictor } from '../../models/index.js';
import { createClickHouse, createClickHouseWriter, createKafka, type ClickHouseClient } from '../../sinks/index.js';
import { scoreEvents } from './score-batch.js';

/** Collaborators of {@link startOnlineScorer} (all but config, logger and metrics are optional). */
export interface OnlineScorerDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  kafka?: Kafka;
  clickhouse?: ClickHouseClient;
  predictor?: Predictor;
  schemas?: SchemaSet;
  /** Consumer group (default `<topicPrefix>.scoring`). */
  groupId?: string;
  /** Read the topic from the beginning when the group has no offsets (default false: only new events). */
  fromBeginning?: boolean;
}

/** A running scorer. */
export interface OnlineScorerHandle {
  readonly name: string;
  readonly predictor: Predictor;
  stop(): Promise<void>;
}

/** Starts the scorer: loads the champion, warms the state, joins the group. */
export async function startOnlineScorer(deps: OnlineScorerDeps): Promise<OnlineScorerHandle> {
  const { config, metrics } = deps;
  const groupId = deps.groupId ?? `${config.kafka.topicPrefix}.scoring`;
  const logger = deps.logger.child({ component: 'online-scorer', groupId });
  const ownClickHouse = !deps.clickhouse;
  const clickhouse = deps.clickhouse ?? createClickHouse(config);
  const kafka = deps.kafka ?? createKafka(config, deps.logger, 'scoring');
  const schemas = deps.schemas ?? createSchemaSet();
  const registry = createRegistry({ clickhouse, database: config.clickhouse.database, dataDir: config.dataDir });
  const ownPredictor = !deps.predictor;
  const predictor = deps.predictor ?? createPredictor({ registry, clickhouse, config, logger, metrics });
  const writer = createClickHouseWriter({
    client: clickhouse,
    database: config.clickhouse.database,
    logger,
    metrics,
    retry: { retries: 5 },
  });
  const written = metrics.counter('scoring_predictions_written_total', 'prediction rows written to ClickHouse');
  const skipped = metrics.counter('scoring_messages_skipped_total', 'build messages the scorer could not decode', ['code']);
  const batchSeconds = metrics.histogram('scoring_batch_duration_seconds', 'time to score and write one batch');

  if (ownPredictor) {
    await predictor.loadChampion();
    await predictor.warm();
    predictor.startHotReload();
  }
  const topic = topicNames(config.kafka.topicPrefix)['events.build'];
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: deps.fromBeginning ?? false });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async (payload) => {
      const { batch } = payload;
      const end = batchSeconds.startTimer();
      const events: BuildEvent[] = [];
      for (const m of batch.messages) {
        if (!m.value) continue;
        try {
          events.push(schemas.decodeAs('build', m.value));
        } catch (err) {
          if (!(err instanceof DecodeError || err instanceof ValidationError)) throw err;
          skipped.inc({ code: err.code });
          logger.warn({ offset: m.offset, partition: batch.partition, err: err.message }, 'skipping undecodable build event');
        }
      }
      const rows = scoreEvents(predictor, events);
      if (rows.length > 0) await writer.insert('predictions', rows as unknown as Record<string, unknown>[]);
      written.inc(rows.length);
      const last = batch.messages[batch.messages.length - 1];
      if (last) payload.resolveOffset(last.offset);
      await payload.commitOffsetsIfNecessary();
      await payload.heartbeat();
      end();
    },
  });
  logger.info({ topic, model: predictor.version ?? 'baseline' }, 'online scorer running');
  return {
    name: 'scoring',
    predictor,
    async stop() {
      await consumer.disconnect();
      if (ownPredictor) predictor.close();
      if (ownClickHouse) await clickhouse.close();
    },
  };
}
