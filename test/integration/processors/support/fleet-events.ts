/**
 * A small deterministic fleet generator for the processor tests (build lifecycles, cache lookups,
 * resource samples, test results) with its own ground truth: finished builds per (pool, minute).
 */
import type { Kafka } from 'kafkajs';
import type { TopicId } from '../../../../common/topics.js';
import { topicName } from '../../../../common/topics.js';
import {
  keyFor,
  topicIdFor,
  type BuildEvent,
  type CacheEvent,
  type ResourceEvent,
  type SchemaSet,
  type SimEvent,
  type TestResult,
} from '../../../../ingest/index.js';

/** One generated event with its topic and key. */
export type GenMessage =
  | { family: 'build'; topic: TopicId; key: string; value: BuildEvent }
  | { family: 'cache'; topic: TopicId; key: string; value: CacheEvent }
  | { family: 'resource'; topic: TopicId; key: string; value: ResourceEvent }
  | { family: 'test'; topic: TopicId; key: string; value: TestResult };

/** Generator options. */
export interface GenOptions {
  seed: number;
  startMs: number;
  minutes: number;
  pools: string[];
  executorsPerPool: number;
  buildsPerMinutePerPool: number;
  /** Emission order = event time + uniform jitter in [0, disorderMs) (keep below the watermark delay). */
  disorderMs?: number;
}

/** Generated events in emission order and their ground truth. */
export interface GenResult {
  messages: GenMessage[];
  /** `${pool}|${minuteStartMs}` → finished builds. */
  finishedPerPoolMinute: Map<string, number>;
}

/** mulberry32: a tiny deterministic PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMBINATIONS = [
  ['debian@12', 'openssl@3.0', 'python@3.11'],
  ['debian@12', 'openssl@3.0', 'node@20'],
  ['alpine@3.19', 'node@20'],
  ['alpine@3.19', 'go@1.22', 'protobuf@25'],
  ['ubuntu@22.04', 'python@3.11', 'numpy@1.26'],
  ['ubuntu@22.04', 'openjdk@21'],
];
const CATEGORIES = ['compile', 'test', 'dependency', 'infra', 'timeout'];

/** Generates a deterministic fleet run. */
export function generateFleet(o: GenOptions): GenResult {
  const r = rng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const out: { at: number; m: GenMessage }[] = [];
  const finished = new Map<string, number>();
  const seqs = new Map<string, number>();
  let id = 0;
  const env = (producer: string, t: number) => {
    const seq = (seqs.get(producer) ?? 0) + 1;
    seqs.set(producer, seq);
    return { event_id: `ev-${o.seed}-${++id}`, event_time: t, producer_id: producer, seq };
  };
  const emit = (m: GenMessage): void => void out.push({ at: m.value.event_time + r() * (o.disorderMs ?? 0), m });
  const endMs = o.startMs + o.minutes * 60_000;
  for (const pool of o.pools) {
    const executors = Array.from({ length: o.executorsPerPool }, (_, i) => `${pool}-ex${i + 1}`);
    for (const ex of executors)
      for (let t = o.startMs + Math.floor(r() * 15_000); t < endMs + 420_000; t += 15_000) {
        const value: ResourceEvent = {
          ...env(`agent-${ex}`, t),
          executor: ex,
          pool,
          cpu_util: Math.round(r() * 1000) / 1000,
          memory_util: Math.round(r() * 1000) / 1000,
          memory_bytes: Math.floor(r() * 8e9),
          disk_read_bps: r() * 1e6,
          disk_write_bps: r() * 1e6,
          net_rx_bps: r() * 1e6,
          net_tx_bps: r() * 1e6,
          running_builds: Math.floor(r() * 4),
          slots: 4,
          queued: Math.floor(r() * 10),
        };
        emit({ family: 'resource', topic: 'events.resource', key: ex, value });
      }
    for (let minute = 0; minute < o.minutes; minute++)
      for (let b = 0; b < o.buildsPerMinutePerPool; b++) {
        const queuedAt = o.startMs + minute * 60_000 + Math.floor(r() * 60_000);
        const wait = Math.floor(r() * r() * 90_000);
        const duration = 5_000 + Math.floor(r() * r() * 295_000);
        const ex = pick(executors);
        const combination = pick(COMBINATIONS);
        const build_id = `b-${o.seed}-${pool}-${minute}-${b}`;
        const roll = r();
        const status = roll < 0.85 ? 'PASSED' : roll < 0.95 ? 'FAILED' : roll < 0.98 ? 'ERRORED' : 'CANCELLED';
        const base = {
          build_id,
          job_id: `j-${build_id}`,
          pool,
          arch: 'amd64',
          combination,
          image_size_bytes: null,
          layer_count: null,
          sbom_generation_ms: null,
        };
        const producer = `agent-${ex}`;
        const none = { queue_wait_ms: null, duration_ms: null, status: null, failure_category: null, features: {} };
        emit({
          family: 'build',
          topic: 'events.build',
          key: pool,
          value: { ...env('scheduler', queuedAt), ...base, ...none, type: 'QUEUED', executor: null },
        });
        const startAt = queuedAt + wait;
        emit({
          family: 'build',
          topic: 'events.build',
          key: pool,
          value: { ...env(producer, startAt), ...base, ...none, type: 'STARTED', executor: ex, queue_wait_ms: wait },
        });
        for (let l = 0; l < 3; l++) {
          const hit = r() < 0.6;
          const value: CacheEvent = {
            ...env(producer, startAt + l * 100),
            executor: ex,
            pool,
            build_id,
            layer_key: `sha256:${combination.slice(0, l + 1).join('+')}`,
            hit,
            bytes: Math.floor(r() * 5e7),
            latency_ms: r() * (hit ? 20 : 400),
            tier: 'LOCAL',
          };
          emit({ family: 'cache', topic: 'events.cache', key: ex, value });
        }
        const endAt = startAt + duration;
        emit({
          family: 'build',
          topic: 'events.build',
          key: pool,
          value: {
            ...env(producer, endAt),
            ...base,
            type: 'FINISHED',
            executor: ex,
            queue_wait_ms: wait,
            duration_ms: duration,
            status,
            failure_category: status === 'FAILED' || status === 'ERRORED' ? pick(CATEGORIES) : null,
            features: { f_layers: combination.length },
          },
        });
        const k = `${pool}|${Math.floor(endAt / 60_000) * 60_000}`;
        finished.set(k, (finished.get(k) ?? 0) + 1);
        if (status === 'PASSED')
          for (let t = 0; t < 2; t++) {
            const value: TestResult = {
              ...env(producer, endAt + 10 + t),
              test_plan_id: 'plan-1',
              build_id,
              pool,
              combination,
              test_id: `t${t}`,
              outcome: pick(['PASSED', 'PASSED', 'PASSED', 'FAILED', 'FLAKY', 'SKIPPED'] as const),
              retries: 0,
              duration_ms: Math.floor(r() * 5000),
            };
            emit({ family: 'test', topic: 'events.test', key: combination.join(','), value });
          }
      }
  }
  out.sort((a, b) => a.at - b.at || (a.m.value.event_id < b.m.value.event_id ? -1 : 1));
  return { messages: out.map((x) => x.m), finishedPerPoolMinute: finished };
}

/** Encodes a message (the single-object Avro wire format). */
export function encode(schemas: SchemaSet, m: GenMessage): Buffer {
  switch (m.family) {
    case 'build':
      return schemas.encode('build', m.value);
    case 'cache':
      return schemas.encode('cache', m.value);
    case 'resource':
      return schemas.encode('resource', m.value);
    case 'test':
      return schemas.encode('test', m.value);
  }
}

/** Produces messages in order (batches of `batch`); `mangle` may replace a message's bytes (poison). */
export async function produce(
  kafka: Kafka,
  prefix: string,
  schemas: SchemaSet,
  messages: readonly GenMessage[],
  options: {
    batch?: number;
    pauseMs?: number;
    mangle?: (index: number, bytes: Buffer) => Buffer;
    /** Explicit partition per message (default: the producer's key hash). */
    partitionOf?: (m: GenMessage) => number;
  } = {},
): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const size = options.batch ?? 500;
    for (let i = 0; i < messages.length; i += size) {
      const chunk = messages.slice(i, i + size);
      const byTopic = new Map<string, { key: string; value: Buffer; partition?: number }[]>();
      chunk.forEach((m, j) => {
        const bytes = encode(schemas, m);
        const value = options.mangle ? options.mangle(i + j, bytes) : bytes;
        const topic = topicName(prefix, m.topic);
        const partition = options.partitionOf?.(m);
        (byTopic.get(topic) ?? byTopic.set(topic, []).get(topic))?.push(
          partition === undefined ? { key: m.key, value } : { key: m.key, value, partition },
        );
      });
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })) });
      if (options.pauseMs) await new Promise((res) => setTimeout(res, options.pauseMs));
    }
  } finally {
    await producer.disconnect();
  }
}

/** Converts helper A's fleet-simulator events (ingest/simulator) to messages; families the feature processor does not read are left out. */
export function fromSimulator(events: Iterable<SimEvent>): GenMessage[] {
  const out: GenMessage[] = [];
  for (const e of events) {
    if (e.family === 'build')
      out.push({ family: 'build', topic: topicIdFor('build', e.value), key: keyFor('build', e.value), value: e.value });
    else if (e.family === 'cache')
      out.push({ family: 'cache', topic: topicIdFor('cache', e.value), key: keyFor('cache', e.value), value: e.value });
    else if (e.family === 'resource')
      out.push({ family: 'resource', topic: topicIdFor('resource', e.value), key: keyFor('resource', e.value), value: e.value });
    else if (e.family === 'test')
      out.push({ family: 'test', topic: topicIdFor('test', e.value), key: keyFor('test', e.value), value: e.value });
  }
  return out;
}
