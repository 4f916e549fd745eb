/**
 * The streaming anomaly processor: its own Kafka consumer group over the build, cache, resource and
 * test event topics. Per batch: decode → observations → event-time minute windows (watermark) →
 * fleet monitor → alert state changes, which are published to the `alerts` topic, stored in
 * ClickHouse and then POSTed to the configured webhooks. Offsets are committed after the alerts of a
 * batch are written (at-least-once; the alert rows are idempotent).
 *
 * Detector state lives in memory: after a restart the baselines are re-learned (warm-up), which can
 * delay — never duplicate — alerts.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { Config } from '../../../common/config.js';
import { PulseError } from '../../../common/errors.js';
import type { Logger } from '../../../common/logger.js';
import type { Metrics } from '../../../common/metrics.js';
import { retry } from '../../../common/retry.js';
import { topicNames } from '../../../common/topics.js';
import type { Alert, AnyEvent, SchemaSet } from '../../../ingest/index.js';
import {
  createAlertPublisher,
  createWebhookDeadLetterPublisher,
  createWebhookDelivery,
  toAlertmanagerPayload,
} from '../../../sinks/index.js';
import { createPredictionLookup, type PredictionLookup } from '../../scoring/prediction-lookup.js';
import { createAlertStore } from './alert-store.js';
import { createObservationMapper } from './event-observations.js';
import { createFleetMonitor, type FleetMonitor } from './fleet-monitor.js';
import { createMinuteAggregator } from './minute-aggregator.js';
import { joinPredictions } from './prediction-join.js';

/** Collaborators of the processor (created by the caller, closed by the caller). */
export interface AnomalyProcessorDeps {
  config: Config;
  kafka: Kafka;
  clickhouse: ClickHouseClient;
  schemas: SchemaSet;
  logger: Logger;
  metrics: Metrics;
  /** Read the event topics from the beginning when the group has no offsets (default true). */
  fromBeginning?: boolean;
  /** Called with every alert event after it is stored (the CLI prints them). */
  onAlert?: (alert: Alert) => void;
  /** Processing-time tick that closes minutes while partitions are idle (default 1000 ms). */
  tickMs?: number;
  /** Where the model's predictions for finished builds come from (default: the scorer's `predictions` table). */
  predictions?: PredictionLookup;
}

/** A running processor. */
export interface AnomalyProcessor {
  /** Stops consuming, waits for webhook deliveries in flight, disconnects. */
  stop(): Promise<void>;
  /** Counters for status output. */
  stats(): {
    events: number;
    late: number;
    invalid: number;
    alerts: number;
    /** Finished builds joined with the model's prediction (drift pairs). */
    predictionPairs: number;
    series: number;
    firing: number;
    watermark?: number;
    /** End of the last minute scored (and whose alerts are written). */
    scoredThrough?: number;
  };
}

/** Starts the consumer group and returns once it is subscribed and running. */
export async function runAnomalyProcessor(deps: AnomalyProcessorDeps): Promise<AnomalyProcessor> {
  const { config, logger, metrics } = deps;
  const log = logger.child({ component: 'anomaly-processor' });
  const topics = topicNames(config.kafka.topicPrefix);
  const groupId = `${config.kafka.topicPrefix}.anomaly-detector`;
  const m = {
    events: metrics.counter('anomaly_events_total', 'events read by the anomaly processor', ['family'] as const),
    late: metrics.counter('anomaly_late_events_total', 'events whose minute window was already closed (counted, not scored)'),
    invalid: metrics.counter('anomaly_invalid_events_total', 'undecodable events skipped by the anomaly processor'),
    alerts: metrics.counter('anomaly_alerts_total', 'alert state changes', ['state', 'detector'] as const),
    series: metrics.gauge('anomaly_series', 'series (entity, metric) tracked by the detectors'),
    firing: metrics.gauge('anomaly_alerts_firing', 'alerts currently firing'),
    batch: metrics.histogram('anomaly_batch_duration_seconds', 'time to process one consumed batch'),
    pairs: metrics.counter('anomaly_prediction_pairs_total', 'finished builds joined with their predicted duration', ['joined'] as const),
  };
  const counts = { events: 0, late: 0, invalid: 0, alerts: 0, predictionPairs: 0 };
  const predictions = deps.predictions ?? createPredictionLookup({ clickhouse: deps.clickhouse, database: config.clickhouse.database });
  const observationsOf = createObservationMapper();
  const aggregator = createMinuteAggregator({ allowedLatenessMs: config.alerts.allowedLatenessMs });
  const monitor: FleetMonitor = createFleetMonitor({ producerId: groupId });
  const store = createAlertStore({ clickhouse: deps.clickhouse, database: config.clickhouse.database });

  const producer: Producer = deps.kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const publisher = createAlertPublisher({ producer, schemas: deps.schemas, topics });
  const webhooks =
    config.alerts.webhooks.length > 0
      ? createWebhookDelivery({
          urls: config.alerts.webhooks,
          deadLetters: createWebhookDeadLetterPublisher({ producer, topics, producerName: groupId }),
          logger,
          metrics,
        })
      : undefined;
  const pending = new Set<Promise<unknown>>();

  async function emit(alerts: Alert[]): Promise<void> {
    const retriable = { retries: 8, onRetry: (err: unknown) => log.warn({ err: (err as Error).message }, 'alert sink failed, retrying') };
    await retry(() => store.insert(alerts), retriable);
    await retry(() => publisher.publish(alerts), retriable);
    for (const a of alerts) {
      counts.alerts++;
      m.alerts.inc({ state: a.state, detector: a.detector });
      log.info({ alert_key: a.alert_key, state: a.state, severity: a.severity, score: a.score, value: a.value }, 'alert');
      deps.onAlert?.(a);
      if (webhooks) {
        const p = webhooks.deliver(toAlertmanagerPayload(a)).catch((err: unknown) => log.error({ err }, 'webhook dead-letter failed'));
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
    }
  }

  /** The batch's passed FINISHED builds joined with the model's predictions (drift pairs). */
  async function predictedDurations(events: readonly AnyEvent[]): Promise<Map<string, number>> {
    const { predicted, wanted } = await joinPredictions(events, predictions, (err, builds) =>
      log.warn({ err: (err as Error).message, builds }, 'predictions unavailable; no drift pairs for this batch'),
    );
    counts.predictionPairs += predicted.size;
    m.pairs.inc({ joined: 'yes' }, predicted.size);
    m.pairs.inc({ joined: 'no' }, wanted - predicted.size);
    return predicted;
  }

  // Closing minutes and emitting alerts is serialised between the batch handler and the idle tick.
  let chain: Promise<void> = Promise.resolve();
  let scoredThrough: number | undefined;
  function closeMinutes(): Promise<void> {
    const run = async (): Promise<void> => {
      const alerts = aggregator.advance().flatMap((snap) => monitor.observe(snap));
      if (alerts.length > 0) await emit(alerts);
      scoredThrough = aggregator.closedThrough;
      m.series.set(monitor.series);
      m.firing.set(monitor.firing);
    };
    chain = chain.then(run, run);
    return chain;
  }

  const consumer: Consumer = deps.kafka.consumer({ groupId, sessionTimeout: 30_000, heartbeatInterval: 3000 });
  // Partitions assigned to this member hold the watermark back until they deliver (or go idle).
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    for (const [topic, partitions] of Object.entries(payload.memberAssignment))
      for (const partition of partitions) aggregator.registerSource(`${topic}/${partition}`);
  });
  await consumer.connect();
  await consumer.subscribe({
    topics: [topics['events.build'], topics['events.cache'], topics['events.resource'], topics['events.test']],
    fromBeginning: deps.fromBeginning ?? true,
  });
  await consumer.run({
    eachBatchAutoResolve: true,
    eachBatch: async (payload) => {
      const { batch } = payload;
      const stopTimer = m.batch.startTimer();
      const events: AnyEvent[] = [];
      for (const msg of batch.messages) {
        if (!msg.value) continue;
        try {
          events.push(deps.schemas.decode(msg.value));
        } catch (err) {
          counts.invalid++;
          m.invalid.inc();
          log.warn(
            { topic: batch.topic, partition: batch.partition, offset: msg.offset, code: err instanceof PulseError ? err.code : undefined },
            'undecodable event skipped',
          );
        }
      }
      const predicted = await predictedDurations(events);
      for (const event of events) {
        counts.events++;
        m.events.inc({ family: event.family });
        const prediction = event.family === 'build' ? predicted.get(event.value.build_id) : undefined;
        const obs = observationsOf(event, prediction);
        if (obs.length > 0 && !aggregator.add(event.value.event_time, obs, `${batch.topic}/${batch.partition}`)) {
          counts.late++;
          m.late.inc();
        }
      }
      await closeMinutes();
      await payload.heartbeat();
      stopTimer();
    },
  });
  // Processing-time tick: when partitions go idle the watermark still advances (a quiet fleet, or the
  // end of a replay) and the minutes it passes are scored.
  const tick = setInterval(() => {
    closeMinutes().catch((err: unknown) => log.error({ err }, 'closing idle minutes failed'));
  }, deps.tickMs ?? 1000);
  log.info({ groupId }, 'anomaly processor running');

  return {
    async stop() {
      clearInterval(tick);
      await consumer.disconnect();
      await chain;
      await Promise.allSettled([...pending]);
      await producer.disconnect();
    },
    stats() {
      return { ...counts, series: monitor.series, firing: monitor.firing, watermark: aggregator.watermark, scoredThrough };
    },
  };
}
