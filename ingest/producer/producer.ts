/**
 * The event producer every part uses to write events: validates and encodes with the schema set,
 * routes to the family's topic with its key, batches for a few ms, and resolves each send only once
 * Kafka acknowledged it (acks=all, idempotent producer). Pending messages and bytes are bounded:
 * when full, `send` waits (backpressure) instead of buffering without limit.
 */
import { CompressionTypes, Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { KafkaError, PulseError, ValidationError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import type { SchemaSet } from '../contracts/schema-set.js';
import type { Family, FamilyTypes } from '../contracts/types.js';
import { createCapacity } from './capacity.js';
import { topicNames } from '../../common/topics.js';
import { keyFor, topicIdFor } from './routing.js';

/** Dependencies and options of {@link createEventProducer}. */
export interface EventProducerOptions {
  kafka: Kafka;
  schemas: SchemaSet;
  /** Topic prefix (config `kafka.topicPrefix`). */
  topicPrefix: string;
  logger: Logger;
  metrics: Metrics;
  /** Most messages waiting for an ack before `send` blocks (default 20 000). */
  maxPending?: number;
  /** Most encoded bytes waiting for an ack before `send` blocks (default 32 MiB). */
  maxPendingBytes?: number;
  /** How long a batch waits for more messages, ms (default 5). */
  lingerMs?: number;
  /** Most messages in one produce request (default 5 000). */
  maxBatchMessages?: number;
  /** `gzip` (the only codec kafkajs ships) or `none` (default). */
  compression?: 'gzip' | 'none';
  /** A send rejects with a retriable KafkaError when no ack arrived within this many ms (default 30 000). */
  ackTimeoutMs?: number;
}

/** Counts since the producer was created. */
export interface ProducerStats {
  /** Acknowledged messages per topic. */
  messages: Record<string, number>;
  /** Acknowledged encoded bytes in total. */
  bytes: number;
  pendingMessages: number;
  pendingBytes: number;
}

/** Writes events to Kafka. */
export interface EventProducer {
  /** Connects the underlying producer (called by the first send when not called before). */
  connect(): Promise<void>;
  /** Validates (ValidationError naming the field), then resolves once Kafka acknowledged the message. */
  send<F extends Family>(family: F, value: FamilyTypes[F]): Promise<void>;
  /** Validates every value first (nothing is sent if one is invalid), then resolves once all are acknowledged. */
  sendMany<F extends Family>(family: F, values: readonly FamilyTypes[F][]): Promise<void>;
  /** Resolves when everything sent so far has been answered. */
  flush(): Promise<void>;
  stats(): ProducerStats;
  /** Flushes and disconnects. */
  close(): Promise<void>;
}

interface Entry {
  topic: string;
  message: Message;
  bytes: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** The same validation error with the item index in front of its field path (`[3].pool`). */
export function indexed(err: ValidationError, index: number): ValidationError {
  const rest = err.message.startsWith(`${err.fieldPath}: `) ? err.message.slice(err.fieldPath.length + 2) : err.message;
  return new ValidationError(`[${index}].${err.fieldPath}`, rest, {
    cause: err,
    details: { ...err.details, field: `[${index}].${err.fieldPath}`, index },
  });
}

/** Creates an event producer (no I/O until the first send or `connect()`). */
export function createEventProducer(options: EventProducerOptions): EventProducer {
  const { kafka, schemas, topicPrefix, metrics } = options;
  const log = options.logger.child({ component: 'event-producer' });
  const lingerMs = options.lingerMs ?? 5;
  const maxBatch = options.maxBatchMessages ?? 5000;
  const ackTimeoutMs = options.ackTimeoutMs ?? 30_000;
  const compression = options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
  const capacity = createCapacity(options.maxPending ?? 20_000, options.maxPendingBytes ?? 32 * 1024 * 1024);

  const mMessages = metrics.counter('ingest_producer_messages_total', 'messages acknowledged by Kafka', ['topic']);
  const mBytes = metrics.counter('ingest_producer_bytes_total', 'encoded bytes acknowledged by Kafka', ['topic']);
  const mErrors = metrics.counter('ingest_producer_errors_total', 'messages whose send failed', ['topic']);
  const mLatency = metrics.histogram(
    'ingest_producer_send_duration_seconds',
    'produce request latency',
    [],
    [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
  );
  const mPending = metrics.gauge('ingest_producer_pending_messages', 'messages waiting for an ack');
  const mPendingBytes = metrics.gauge('ingest_producer_pending_bytes', 'encoded bytes waiting for an ack');

  const names = topicNames(topicPrefix);
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // Murmur2 like the Java client: a key lands on the same partition whoever produces it.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  let connecting: Promise<void> | undefined;
  let closed = false;
  let buffer: Entry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  const sent: Record<string, number> = {};
  let sentBytes = 0;
  const idle: (() => void)[] = [];

  const connect = (): Promise<void> => {
    connecting ??= producer.connect().catch((err: unknown) => {
      connecting = undefined;
      throw new KafkaError('connect', (err as Error).message, { cause: err });
    });
    return connecting;
  };

  const gauges = (): void => {
    mPending.set(capacity.pendingMessages);
    mPendingBytes.set(capacity.pendingBytes);
  };

  async function sendBatch(batch: Entry[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const e of batch) {
      const list = byTopic.get(e.topic) ?? [];
      list.push(e.message);
      byTopic.set(e.topic, list);
    }
    const started = performance.now();
    let settled = false;
    const timeout = setTimeout(() => {
      settled = true;
      const err = new KafkaError('send', `no acknowledgement within ${ackTimeoutMs} ms`, { details: { messages: batch.length } });
      for (const e of batch) e.reject(err);
    }, ackTimeoutMs);
    try {
      await connect();
      await producer.sendBatch({ acks: -1, compression, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      mLatency.observe((performance.now() - started) / 1000);
      for (const e of batch) {
        sent[e.topic] = (sent[e.topic] ?? 0) + 1;
        sentBytes += e.bytes;
        mMessages.inc({ topic: e.topic });
        mBytes.inc({ topic: e.topic }, e.bytes);
      }
      if (!settled) for (const e of batch) e.resolve();
    } catch (err) {
      const wrapped = err instanceof PulseError ? err : new KafkaError('send', (err as Error).message, { cause: err });
      log.warn({ err: wrapped, messages: batch.length }, 'produce failed');
      for (const e of batch) mErrors.inc({ topic: e.topic });
      if (!settled) for (const e of batch) e.reject(wrapped);
    } finally {
      clearTimeout(timeout);
      settled = true;
      capacity.release(
        batch.length,
        batch.reduce((s, e) => s + e.bytes, 0),
      );
      gauges();
    }
  }

  const pump = (): void => {
    if (inFlight || buffer.length === 0) {
      if (!inFlight && buffer.length === 0) idle.splice(0).forEach((f) => f());
      return;
    }
    const batch = buffer.slice(0, maxBatch);
    buffer = buffer.slice(batch.length);
    inFlight = sendBatch(batch).finally(() => {
      inFlight = undefined;
      pump();
    });
  };

  const schedule = (): void => {
    if (buffer.length >= maxBatch) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      pump();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        pump();
      }, lingerMs);
    }
  };

  const prepare = <F extends Family>(family: F, value: FamilyTypes[F]): { topic: string; message: Message; bytes: number } => {
    const encoded = schemas.encode(family, value);
    const key = keyFor(family, value);
    return { topic: names[topicIdFor(family, value)], message: { key, value: encoded }, bytes: encoded.length + key.length };
  };

  // Returns a holder, not the promise itself: an async function would flatten it and wait for the ack.
  const enqueue = async (p: { topic: string; message: Message; bytes: number }): Promise<{ done: Promise<void> }> => {
    await capacity.acquire(p.bytes);
    gauges();
    const done = new Promise<void>((resolve, reject) =>
      buffer.push({ topic: p.topic, message: p.message, bytes: p.bytes, resolve, reject }),
    );
    // Marks the promise handled: a batch may fail before the caller awaits it (sendMany awaits later).
    done.catch(() => undefined);
    schedule();
    return { done };
  };

  const ensureOpen = (): void => {
    if (closed) throw new KafkaError('send', 'producer is closed');
  };

  return {
    connect,
    async send(family, value) {
      ensureOpen();
      const p = prepare(family, value);
      await (
        await enqueue(p)
      ).done;
    },
    async sendMany(family, values) {
      ensureOpen();
      const prepared = values.map((v, i) => {
        try {
          return prepare(family, v);
        } catch (err) {
          if (err instanceof ValidationError) throw indexed(err, i);
          throw err;
        }
      });
      const acks: Promise<void>[] = [];
      for (const p of prepared) acks.push((await enqueue(p)).done);
      const results = await Promise.allSettled(acks);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason as Error;
    },
    flush() {
      if (!inFlight && buffer.length === 0) return Promise.resolve();
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      const p = new Promise<void>((resolve) => idle.push(resolve));
      pump();
      return p;
    },
    stats() {
      return { messages: { ...sent }, bytes: sentBytes, pendingMessages: capacity.pendingMessages, pendingBytes: capacity.pendingBytes };
    },
    async close() {
      if (closed) return;
      closed = true;
      await this.flush();
      if (connecting) await producer.disconnect();
    },
  };
}
