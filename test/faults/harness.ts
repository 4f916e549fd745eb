/**
 * Fault-test harness: a `pulse process` child process on isolated topics and database, a resilient
 * producer of seeded build events, and the exact end-state checks every fault test makes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Partitioners, type Kafka } from 'kafkajs';
import type { Config } from '../../common/config.js';
import { retry } from '../../common/retry.js';
import { topicNames } from '../../common/topics.js';
import { createSchemaSet, type BuildEvent } from '../../ingest/index.js';
import { createClickHouse, ident, type ClickHouseClient } from '../../sinks/index.js';
import { benchBuildEvents } from '../bench/lib/build-events.js';
import { waitFor } from '../helpers/env.js';

const CLI = resolve(import.meta.dirname, '../../common/cli/pulse.mjs');

/** Prints what a fault test did (kept in the test log). */
export function say(message: string): void {
  process.stderr.write(`[fault] ${message}\n`);
}

/** Starts `pulse process` (features only) for the isolated config. */
export function startProcessor(config: Config, group: string): ChildProcess {
  const env = {
    ...process.env,
    PULSE_TOPIC_PREFIX: config.kafka.topicPrefix,
    CLICKHOUSE_DATABASE: config.clickhouse.database,
    PULSE_LOG_LEVEL: process.env.FAULT_CHILD_LOG_LEVEL ?? 'warn',
  };
  return spawn('node', [CLI, 'process', '--group', group, '--only', 'features'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Resident memory of a process in MiB (from /proc). */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Seeded build events (queued/started/finished triples) spread over `minutes` minutes. */
export function seededEvents(count: number, seed: number, minutes = 30): BuildEvent[] {
  return [...benchBuildEvents(count, { seed, minutes, pools: 4 })];
}

/**
 * Produces events in batches, retrying each batch until Kafka acknowledges it (survives a broker
 * restart). Record timestamps are the produce time, as the real producers' (ingest/): the seeded
 * event times lie months back, and with those as timestamps the broker's 7-day retention deletes the
 * segments at its next check (after a broker restart: within 30 s), which is data loss the processor
 * cannot help.
 */
export async function produceResilient(
  kafka: Kafka,
  config: Config,
  events: readonly BuildEvent[],
  opts: { batch?: number; onBatch?: (sent: number) => Promise<void> } = {},
): Promise<number> {
  const schemas = createSchemaSet();
  const topic = topicNames(config.kafka.topicPrefix)['events.build'];
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const size = opts.batch ?? 500;
  let sent = 0;
  try {
    for (let i = 0; i < events.length; i += size) {
      const messages = events.slice(i, i + size).map((e) => ({ key: e.pool, value: schemas.encode('build', e) }));
      await retry(() => producer.send({ topic, acks: -1, messages }), { retries: 60, initialDelayMs: 500, maxDelayMs: 3000 });
      sent += messages.length;
      await opts.onBatch?.(sent);
    }
  } finally {
    await producer.disconnect();
  }
  return sent;
}

/** Sum of the group's committed offsets on the build topic. */
async function committedTotal(admin: ReturnType<Kafka['admin']>, topic: string, group: string): Promise<number> {
  const offs = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  return (offs[0]?.partitions ?? []).reduce((s, p) => s + Math.max(0, Number(p.offset)), 0);
}

/** Waits until the group has committed at least `min` messages of the build topic (the processor is mid-stream). */
export async function waitProgress(
  kafka: Kafka,
  config: Config,
  group: string,
  min: number,
  timeoutMs: number,
  child?: ChildProcess,
): Promise<number> {
  const topic = topicNames(config.kafka.topicPrefix)['events.build'];
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await waitWhileAlive(
      `group ${group} to commit ${min} messages`,
      child,
      async () => {
        const done = await committedTotal(admin, topic, group);
        return done >= min ? done : undefined;
      },
      timeoutMs,
      250,
    );
  } finally {
    await admin.disconnect();
  }
}

/** {@link waitFor}, but failing at once when the processor child is gone (no point waiting for its progress). */
function waitWhileAlive<T>(
  what: string,
  child: ChildProcess | undefined,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs: number,
): Promise<T> {
  return waitFor(
    what,
    async () => {
      if (child && (child.exitCode !== null || child.signalCode !== null)) return { exited: child, value: undefined };
      const v = await probe();
      return v === undefined ? undefined : { exited: undefined, value: v };
    },
    timeoutMs,
    intervalMs,
  ).then((r) => {
    if (r.value === undefined)
      throw new Error(`the processor exited (code ${r.exited?.exitCode}, signal ${r.exited?.signalCode}); see its log above`);
    return r.value;
  });
}

/**
 * Waits until the group has committed everything up to the end of the build topic; fails at once when
 * `child` (the processor) exited meanwhile.
 */
export async function waitCommitted(kafka: Kafka, config: Config, group: string, timeoutMs: number, child?: ChildProcess): Promise<number> {
  const topic = topicNames(config.kafka.topicPrefix)['events.build'];
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await waitWhileAlive(
      `group ${group} to commit the whole topic`,
      child,
      async () => {
        const ends = await admin.fetchTopicOffsets(topic);
        const total = ends.reduce((s, p) => s + Number(p.high), 0);
        const done = await committedTotal(admin, topic, group);
        return done === total && total > 0 ? total : undefined;
      },
      timeoutMs,
      250,
    );
  } finally {
    await admin.disconnect();
  }
}

/** The exact end state: raw rows (deduplicated) and per (pool, minute) finished/failed counts in three places. */
export interface EndState {
  rawRows: number;
  rawRowsFinal: number;
  featureMismatches: { pool: string; minute: string; features: number; raw: number; expected: number }[];
  expectedFinished: number;
}

/** Compares the features and raw tables with the events that were produced. */
export async function checkEndState(config: Config, events: readonly BuildEvent[]): Promise<EndState> {
  const ch: ClickHouseClient = createClickHouse(config);
  const db = ident(config.clickhouse.database).text;
  const q = async <T>(query: string): Promise<T[]> => (await ch.query({ query, format: 'JSONEachRow' })).json<T>();
  try {
    const [raw] = await q<{ c: string }>(`SELECT count() AS c FROM ${db}.build_events`);
    const [rawFinal] = await q<{ c: string }>(`SELECT count() AS c FROM ${db}.build_events FINAL`);
    const feats = await q<{ pool: string; m: string; n: string }>(
      `SELECT pool, toString(window_start) AS m, builds_finished AS n FROM ${db}.pool_features_1m FINAL`,
    );
    const rawAgg = await q<{ pool: string; m: string; n: string }>(
      `SELECT pool, toString(toStartOfMinute(toDateTime(intDiv(event_time, 1000)))) AS m, count() AS n FROM ${db}.build_events FINAL WHERE type = 'FINISHED' GROUP BY pool, m`,
    );
    const expected = new Map<string, number>();
    for (const e of events) {
      if (e.type !== 'FINISHED') continue;
      const minute = new Date(Math.floor(e.event_time / 60_000) * 60_000).toISOString().slice(0, 19).replace('T', ' ');
      const k = `${e.pool}|${minute}`;
      expected.set(k, (expected.get(k) ?? 0) + 1);
    }
    const f = new Map(feats.map((r) => [`${r.pool}|${r.m}`, Number(r.n)]));
    const rw = new Map(rawAgg.map((r) => [`${r.pool}|${r.m}`, Number(r.n)]));
    const keys = new Set([...expected.keys(), ...[...f.entries()].filter(([, n]) => n > 0).map(([k]) => k), ...rw.keys()]);
    const mismatches: EndState['featureMismatches'] = [];
    for (const k of keys) {
      const [pool = '', minute = ''] = k.split('|');
      const a = f.get(k) ?? 0;
      const b = rw.get(k) ?? 0;
      const c = expected.get(k) ?? 0;
      if (a !== c || b !== c) mismatches.push({ pool, minute, features: a, raw: b, expected: c });
    }
    return {
      rawRows: Number(raw?.c),
      rawRowsFinal: Number(rawFinal?.c),
      featureMismatches: mismatches,
      expectedFinished: [...expected.values()].reduce((s, n) => s + n, 0),
    };
  } finally {
    await ch.close();
  }
}

/** Stops a child process and waits for it. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  child.kill(signal);
  await exited;
}
