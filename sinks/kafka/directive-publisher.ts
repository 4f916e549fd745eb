/**
 * Publishes directives (Avro single-object encoding) keyed by pool to the compacted directive topics
 * (`<prefix>.directives.scaling` / `.cache-warm`), so a new executor reads the current desired state of
 * its pool. Idempotent producer, acks from all in-sync replicas; resolves with where the record landed.
 */
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { KafkaError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import { keyFor, topicFor, type Directive, type SchemaSet } from '../../ingest/index.js';

/** Where a directive was written. */
export interface DirectivePosition {
  topic: string;
  partition: number;
  /** Kafka offset (a decimal string: offsets are 64-bit). */
  offset: string;
}

/** Writes directives to Kafka. */
export interface DirectivePublisher {
  /** Validates (ValidationError naming the field), publishes and resolves once acknowledged. */
  publish(directive: Directive): Promise<DirectivePosition>;
  close(): Promise<void>;
}

/** Dependencies of {@link createDirectivePublisher}. */
export interface DirectivePublisherDeps {
  kafka: Kafka;
  schemas: SchemaSet;
  topicPrefix: string;
  logger: Logger;
  metrics: Metrics;
}

/** Creates the publisher; connects on first use. */
export function createDirectivePublisher(deps: DirectivePublisherDeps): DirectivePublisher {
  const published = deps.metrics.counter('directives_published_total', 'directives published to Kafka', ['kind']);
  let producer: Producer | undefined;
  let connecting: Promise<Producer> | undefined;
  const connect = (): Promise<Producer> => {
    connecting ??= (async () => {
      const p = deps.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // Java-compatible murmur2 on the key: every client maps a pool to the same partition.
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await p.connect();
      producer = p;
      return p;
    })().catch((err: unknown) => {
      connecting = undefined;
      throw new KafkaError('connect', (err as Error).message, { cause: err });
    });
    return connecting;
  };
  return {
    async publish(directive) {
      const value = deps.schemas.encode('directive', directive);
      const topic = topicFor(deps.topicPrefix, 'directive', directive);
      const p = await connect();
      try {
        const [meta] = await p.send({ topic, acks: -1, messages: [{ key: keyFor('directive', directive), value }] });
        published.inc({ kind: directive.kind });
        return { topic, partition: meta?.partition ?? 0, offset: meta?.baseOffset ?? '-1' };
      } catch (err) {
        throw new KafkaError('produce', (err as Error).message, { cause: err, details: { topic } });
      }
    },
    async close() {
      if (producer) await producer.disconnect();
      producer = undefined;
      connecting = undefined;
    },
  };
}
