/**
 * Consumes `<prefix>.directives.ack` and records every ack in `directive_acks` (offsets are committed
 * only after the batch is written). Undecodable messages are logged and counted, never block the topic.
 */
import type { Consumer, Kafka } from 'kafkajs';
import { DecodeError, KafkaError, ValidationError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import { topicNames } from '../../common/topics.js';
import type { DirectiveAck, SchemaSet } from '../../ingest/index.js';
import type { DirectiveRecorder } from './recorder.js';

/** Dependencies of {@link createAckConsumer}. */
export interface AckConsumerDeps {
  kafka: Kafka;
  schemas: SchemaSet;
  recorder: Pick<DirectiveRecorder, 'recordAcks'>;
  topicPrefix: string;
  /** Consumer group (default `<prefix>.api.directive-acks`). */
  groupId?: string;
  logger: Logger;
  metrics: Metrics;
  /** Called after acks were recorded. */
  onAcks?: (acks: readonly DirectiveAck[]) => void;
}

/** A running ack consumer. */
export interface AckConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Creates the consumer (no I/O until `start`). */
export function createAckConsumer(deps: AckConsumerDeps): AckConsumer {
  const topic = topicNames(deps.topicPrefix)['directives.ack'];
  const log = deps.logger.child({ component: 'directive-acks' });
  const received = deps.metrics.counter('directive_acks_total', 'directive acks recorded', ['status']);
  const invalid = deps.metrics.counter('directive_acks_invalid_total', 'undecodable directive ack messages');
  let consumer: Consumer | undefined;
  return {
    async start() {
      const c = deps.kafka.consumer({ groupId: deps.groupId ?? `${deps.topicPrefix}.api.directive-acks`, allowAutoTopicCreation: false });
      consumer = c;
      try {
        await c.connect();
        await c.subscribe({ topic, fromBeginning: true });
      } catch (err) {
        throw new KafkaError('subscribe', (err as Error).message, { cause: err, details: { topic } });
      }
      await c.run({
        eachBatchAutoResolve: true,
        eachBatch: async (payload) => {
          const { batch } = payload;
          const acks: DirectiveAck[] = [];
          for (const m of batch.messages) {
            if (!m.value) continue;
            try {
              acks.push(deps.schemas.decodeAs('directive-ack', m.value));
            } catch (err) {
              if (!(err instanceof DecodeError || err instanceof ValidationError)) throw err;
              invalid.inc();
              log.warn({ code: err.code, partition: batch.partition, offset: m.offset, reason: err.message }, 'skipping undecodable ack');
            }
          }
          await deps.recorder.recordAcks(acks);
          for (const a of acks) received.inc({ status: a.status });
          await payload.heartbeat();
          if (acks.length > 0) deps.onAcks?.(acks);
        },
      });
    },
    async stop() {
      await consumer?.disconnect();
      consumer = undefined;
    },
  };
}
