/**
 * Dead-letter producer: messages that cannot be processed go to `<prefix>.dlq` with their original key
 * and bytes, and headers naming the error code, the reason, and the source topic/partition/offset.
 */
import type { IHeaders, Kafka, Producer } from 'kafkajs';
import { KafkaError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';

/** Header names of a dead letter. */
export const DLQ_HEADERS = {
  code: 'pulse-error-code',
  reason: 'pulse-error-reason',
  message: 'pulse-error-message',
  sourceTopic: 'pulse-source-topic',
  sourcePartition: 'pulse-source-partition',
  sourceOffset: 'pulse-source-offset',
  producer: 'pulse-dead-lettered-by',
} as const;

/** One message to dead-letter. */
export interface DeadLetter {
  key: Buffer | null;
  value: Buffer | null;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  /** Stable error code (PulseError.code), e.g. PULSE_ERR_DECODE. */
  code: string;
  /** Short machine-readable reason, e.g. `bad_magic`, `too_late`, `invalid:duration_ms`. */
  reason: string;
  /** Human-readable explanation. */
  message: string;
}

/** Sends dead letters. */
export interface DeadLetterProducer {
  /** Sends and waits for the broker's acknowledgement (acks=all); throws KafkaError. */
  send(letters: readonly DeadLetter[]): Promise<void>;
  close(): Promise<void>;
}

/** Dependencies of {@link createDeadLetterProducer}. */
export interface DeadLetterProducerDeps {
  kafka: Kafka;
  /** Full DLQ topic name (`topicNames(prefix).dlq`). */
  topic: string;
  /** Who dead-letters (consumer group), written to a header. */
  producerName: string;
  logger: Logger;
  metrics: Metrics;
}

/** Headers of a dead letter. */
export function deadLetterHeaders(letter: DeadLetter, producerName: string): IHeaders {
  return {
    [DLQ_HEADERS.code]: letter.code,
    [DLQ_HEADERS.reason]: letter.reason,
    [DLQ_HEADERS.message]: letter.message.slice(0, 1000),
    [DLQ_HEADERS.sourceTopic]: letter.sourceTopic,
    [DLQ_HEADERS.sourcePartition]: String(letter.sourcePartition),
    [DLQ_HEADERS.sourceOffset]: letter.sourceOffset,
    [DLQ_HEADERS.producer]: producerName,
  };
}

/** Reads the headers of a consumed dead letter back into strings. */
export function readDeadLetterHeaders(headers: IHeaders | undefined): Partial<Record<keyof typeof DLQ_HEADERS, string>> {
  const out: Partial<Record<keyof typeof DLQ_HEADERS, string>> = {};
  for (const [field, name] of Object.entries(DLQ_HEADERS) as [keyof typeof DLQ_HEADERS, string][]) {
    const v = headers?.[name];
    const one = Array.isArray(v) ? v[0] : v;
    if (one !== undefined) out[field] = one.toString();
  }
  return out;
}

/** Largest payload of one dead-letter produce request, bytes. */
export const DLQ_CHUNK_BYTES = 512 * 1024;

/** Splits letters into chunks whose keys and values add up to at most `maxBytes` (a single larger letter goes alone). */
export function chunkBySize(letters: readonly DeadLetter[], maxBytes: number): DeadLetter[][] {
  const chunks: DeadLetter[][] = [];
  let current: DeadLetter[] = [];
  let size = 0;
  for (const l of letters) {
    const n = (l.value?.length ?? 0) + (l.key?.length ?? 0) + 512;
    if (current.length > 0 && size + n > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(l);
    size += n;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Creates the producer (connects lazily on the first send). */
export function createDeadLetterProducer(deps: DeadLetterProducerDeps): DeadLetterProducer {
  const sent = deps.metrics.counter('dlq_messages_total', 'messages sent to the dead-letter topic', ['code', 'reason']);
  let producer: Producer | undefined;
  let connecting: Promise<Producer> | undefined;
  const connect = async (): Promise<Producer> => {
    if (producer) return producer;
    connecting ??= (async () => {
      const p = deps.kafka.producer({ allowAutoTopicCreation: false });
      await p.connect();
      producer = p;
      return p;
    })();
    try {
      return await connecting;
    } finally {
      connecting = undefined;
    }
  };
  return {
    async send(letters) {
      if (letters.length === 0) return;
      try {
        const p = await connect();
        // One produce request is one record batch on the broker, limited by message.max.bytes (1 MiB by
        // default): send dead letters in chunks well below it, or a burst of them would be refused forever.
        for (const chunk of chunkBySize(letters, DLQ_CHUNK_BYTES)) {
          await p.send({
            topic: deps.topic,
            acks: -1,
            messages: chunk.map((l) => ({ key: l.key, value: l.value, headers: deadLetterHeaders(l, deps.producerName) })),
          });
        }
      } catch (err) {
        throw new KafkaError('send dead letters', (err as Error).message, { cause: err });
      }
      for (const l of letters) sent.inc({ code: l.code, reason: l.reason.split(':')[0] ?? l.reason });
      deps.logger.debug({ count: letters.length, topic: deps.topic }, 'dead-lettered messages');
    },
    async close() {
      await producer?.disconnect();
      producer = undefined;
    },
  };
}
