/**
 * Publishes alert state changes to the `alerts` topic as Avro single-object messages keyed by
 * `alert_key` (one key's FIRING and RESOLVED stay in order on one partition). Also the dead-letter
 * publisher of failed alert webhooks (topic `dlq`, headers carry the error code and source).
 */
import type { Producer } from 'kafkajs';
import { KafkaError } from '../../common/errors.js';
import type { Alert, SchemaSet } from '../../ingest/index.js';
import type { DeadLetterSink, WebhookDeadLetter } from '../webhooks/webhook-delivery.js';
import { deadLetterHeaders } from './dlq.js';

/** Sends alerts. */
export interface AlertPublisher {
  publish(alerts: readonly Alert[]): Promise<void>;
}

/** Dependencies of {@link createAlertPublisher}: a connected producer, the schema set and topic names. */
export interface AlertPublisherDeps {
  producer: Producer;
  schemas: SchemaSet;
  topics: { alerts: string; dlq: string };
}

/** Creates the publisher. Throws a retriable KafkaError when the send fails. */
export function createAlertPublisher(deps: AlertPublisherDeps): AlertPublisher {
  return {
    async publish(alerts) {
      if (alerts.length === 0) return;
      const messages = alerts.map((a) => ({
        key: a.alert_key,
        value: deps.schemas.encode('alert', a),
        // No record timestamp = event time: a replay of old alerts would fall behind the topic's retention
        // at once. The event time travels in the payload; the record carries the publish time.
        headers: { 'pulse-family': 'alert', 'pulse-state': a.state },
      }));
      try {
        await deps.producer.send({ topic: deps.topics.alerts, messages, acks: -1 });
      } catch (err) {
        throw new KafkaError('send alerts', (err as Error).message, { cause: err });
      }
    },
  };
}

/**
 * Dead-letter sink that publishes failed webhook deliveries to the `dlq` topic: key = alert key, value =
 * the JSON dead letter (URL, payload, attempts, last error), the standard DLQ headers (reason
 * `webhook_failed`, source topic = the alerts topic, partition −1: the letter comes from no offset).
 */
export function createWebhookDeadLetterPublisher(
  deps: Pick<AlertPublisherDeps, 'producer' | 'topics'> & { producerName: string },
): DeadLetterSink {
  return {
    async record(letter: WebhookDeadLetter) {
      const key = letter.payload.groupLabels.alert_key ?? letter.url;
      const value = Buffer.from(JSON.stringify(letter));
      const headers = deadLetterHeaders(
        {
          key: Buffer.from(key),
          value,
          sourceTopic: deps.topics.alerts,
          sourcePartition: -1,
          sourceOffset: '',
          code: letter.code,
          reason: 'webhook_failed',
          message: `${letter.url}: ${letter.error}`,
        },
        deps.producerName,
      );
      try {
        await deps.producer.send({ topic: deps.topics.dlq, acks: -1, messages: [{ key, value, headers }] });
      } catch (err) {
        throw new KafkaError('send webhook dead letter', (err as Error).message, { cause: err });
      }
    },
  };
}
