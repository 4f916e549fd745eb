/**
 * Poison and late events against real Kafka + ClickHouse: 1% corrupted messages all end in the DLQ with
 * reasons while every valid message is processed; a late event within the allowed lateness updates its
 * closed window (new row version), one beyond it is counted and dead-lettered — never silently dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from '../../../common/metrics.js';
import { topicNames } from '../../../common/topics.js';
import { createSchemaSet, type BuildEvent } from '../../../ingest/index.js';
import { startFeatureProcessor, type ProcessorHandle } from '../../../processors/index.js';
import { ident, readDeadLetterHeaders, sql } from '../../../sinks/index.js';
import { isolatedConfig, uniqueName, waitFor } from '../../helpers/env.js';
import { encode, generateFleet, produce, type GenMessage } from './support/fleet-events.js';
import { countsByTopic, rows, setupEnv, waitCaughtUp, type Env } from './support/harness.js';

const START = Date.UTC(2026, 0, 7, 9, 0, 0);
const LATENESS = 120_000;
const DELAY = 5_000;

const hash = (s: string): number => [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);

/** Corrupts bytes in one of four ways (each a different decode failure). */
function corrupt(i: number, bytes: Buffer): Buffer {
  const b = Buffer.from(bytes);
  switch (i % 4) {
    case 0:
      return b.subarray(0, 5); // truncated header
    case 1:
      b[0] = 0x00; // bad magic
      return b;
    case 2:
      for (let k = 2; k < 10; k++) b[k] = (b[k] ?? 0) ^ 0xff; // unknown fingerprint
      return b;
    default:
      return Buffer.concat([b.subarray(0, 10), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])]); // bad payload
  }
}

describe('dead letters and late events (real Kafka + ClickHouse)', () => {
  let env: Env;
  let metrics: Metrics;
  let handle: ProcessorHandle | undefined;
  const corrupted: string[] = [];
  const corruptedIndex = new Set<number>();
  const lateBuilds: BuildEvent[] = [];
  let tooLate: BuildEvent;
  let invalid: BuildEvent;
  let lateWindowStart = 0;
  let all: GenMessage[] = [];
  const db = (t: string) => ident(`${env.config.clickhouse.database}.${t}`);

  beforeAll(async () => {
    env = await setupEnv(
      isolatedConfig(uniqueName('dlq'), {
        'processor.flushIntervalMs': 300,
        'processor.allowedLatenessMs': LATENESS,
        'processor.watermarkDelayMs': DELAY,
      }),
    );
    const gen = generateFleet({
      seed: 5,
      startMs: START,
      minutes: 10,
      pools: ['x86', 'arm'],
      executorsPerPool: 2,
      buildsPerMinutePerPool: 5,
      disorderMs: 2000,
    });
    const partitionOf = (m: GenMessage): number => (m.key === 'late-pool' ? 0 : hash(m.key) % 3);
    // Watermark of build partition 0 at the end of the stream.
    const p0 = gen.messages.filter((m) => m.family === 'build' && partitionOf(m) === 0);
    const maxT = Math.max(...p0.map((m) => m.value.event_time));
    const watermark = maxT - DELAY;
    lateWindowStart = Math.floor(watermark / 60_000) * 60_000 - 60_000; // closed (end <= watermark), within lateness
    const template = (p0.find((m) => m.family === 'build' && m.value.type === 'FINISHED')?.value ?? null) as BuildEvent | null;
    if (!template) throw new Error('generator produced no finished build on partition 0');
    const build = (id: string, t: number, extra: Partial<BuildEvent> = {}): BuildEvent => ({
      ...template,
      event_id: id,
      event_time: t,
      pool: 'late-pool',
      build_id: id,
      ...extra,
    });
    const onTime = build('late-on-time', lateWindowStart + 1_000);
    lateBuilds.push(build('late-within-1', lateWindowStart + 20_000), build('late-within-2', lateWindowStart + 30_000));
    tooLate = build('late-beyond', watermark - LATENESS - 120_000);
    invalid = build('invalid-duration', lateWindowStart + 2_000, { duration_ms: -5 });
    // The on-time event goes where its time belongs in the stream; the late ones after everything.
    const msg = (value: BuildEvent): GenMessage => ({ family: 'build', topic: 'events.build', key: 'late-pool', value });
    const body = [...gen.messages];
    const at = body.findIndex((m) => m.value.event_time > onTime.event_time + 3_000);
    body.splice(at < 0 ? body.length : at, 0, msg(onTime), msg(invalid));
    all = [...body, ...lateBuilds.map(msg), msg(tooLate)];

    const schemas = createSchemaSet();
    let k = 0;
    await produce(env.kafka, env.config.kafka.topicPrefix, schemas, all, {
      partitionOf,
      mangle: (i, bytes) => {
        if (all[i]?.key === 'late-pool' || i % 100 !== 37) return bytes; // exactly 1%
        const bad = corrupt(k++, bytes);
        corrupted.push(bad.toString('hex'));
        corruptedIndex.add(i);
        return bad;
      },
    });
    expect(corrupted.length).toBeGreaterThanOrEqual(8);
    expect(encode(schemas, msg(invalid)).length).toBeGreaterThan(10);
    metrics = createMetrics({ defaultMetrics: false });
    handle = await startFeatureProcessor({ config: env.config, logger: env.logger, metrics });
    await waitCaughtUp(
      env.ch,
      env.config.clickhouse.database,
      env.config.processor.groupId,
      countsByTopic(env.config.kafka.topicPrefix, all),
    );
  });

  afterAll(async () => {
    await handle?.stop();
    await env?.cleanup();
  });

  async function deadLetters(expected: number): Promise<{ value: string; headers: ReturnType<typeof readDeadLetterHeaders> }[]> {
    const got: { value: string; headers: ReturnType<typeof readDeadLetterHeaders> }[] = [];
    const consumer = env.kafka.consumer({ groupId: uniqueName('dlq-reader') });
    await consumer.connect();
    await consumer.subscribe({ topic: topicNames(env.config.kafka.topicPrefix).dlq, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        got.push({ value: message.value?.toString('hex') ?? '', headers: readDeadLetterHeaders(message.headers) });
        return Promise.resolve();
      },
    });
    try {
      await waitFor(`${expected} dead letters`, () => got.length >= expected, 30_000);
      await new Promise((res) => setTimeout(res, 500));
    } finally {
      await consumer.disconnect();
    }
    return got;
  }

  it('dead-letters every corrupted or invalid message with its reason and processes every valid one', async () => {
    const letters = await deadLetters(corrupted.length + 2);
    const decodeLetters = letters.filter((l) => l.headers.code === 'PULSE_ERR_DECODE');
    expect(decodeLetters.map((l) => l.value).sort()).toEqual([...corrupted].sort());
    for (const l of letters) {
      expect(l.headers.reason, JSON.stringify(l.headers)).toMatch(
        /^(truncated|bad_magic|unknown_fingerprint|bad_payload|invalid:duration_ms|too_late)$/,
      );
      expect(l.headers.sourceTopic).toMatch(/\.events\.(build|cache|resource|test)$/);
      expect(Number(l.headers.sourceOffset)).toBeGreaterThanOrEqual(0);
      expect(Number(l.headers.sourcePartition)).toBeGreaterThanOrEqual(0);
    }
    expect(new Set(decodeLetters.map((l) => l.headers.reason))).toEqual(
      new Set(['truncated', 'bad_magic', 'unknown_fingerprint', 'bad_payload']),
    );
    expect(letters.filter((l) => l.headers.reason === 'invalid:duration_ms')).toHaveLength(1);

    // Every valid message (not corrupted, not invalid, not beyond lateness) has its raw row.
    const valid = { build: 0, cache: 0, resource: 0, test: 0 };
    all.forEach((m, i) => {
      if (!corruptedIndex.has(i) && m.value !== invalid && m.value !== tooLate) valid[m.family]++;
    });
    expect(corruptedIndex.size).toBe(corrupted.length);
    for (const [family, table] of [
      ['build', 'build_events'],
      ['cache', 'cache_events'],
      ['resource', 'resource_events'],
      ['test', 'test_results'],
    ] as const) {
      const [r] = await rows<{ n: string }>(env.ch, sql`SELECT count() AS n FROM ${db(table)} FINAL`);
      expect(Number(r?.n), table).toBe(valid[family]);
    }
  });

  it('updates a closed window with events within the lateness and dead-letters the one beyond', async () => {
    const [w] = await rows<{ builds_finished: string; late_events: string; version: string }>(
      env.ch,
      sql`SELECT builds_finished, late_events, version FROM ${db('pool_features_1m')} FINAL WHERE pool = 'late-pool' AND window_start = toDateTime(${lateWindowStart / 1000})`,
    );
    expect(Number(w?.builds_finished)).toBe(1 + lateBuilds.length);
    expect(Number(w?.late_events)).toBe(lateBuilds.length);
    const versions = await rows<{ version: string }>(
      env.ch,
      sql`SELECT version FROM ${db('pool_features_1m')} WHERE pool = 'late-pool' AND window_start = toDateTime(${lateWindowStart / 1000}) ORDER BY version`,
    );
    expect(versions.length).toBeGreaterThanOrEqual(1);
    expect(Number(versions.at(-1)?.version)).toBe(1 + lateBuilds.length);

    const letters = await deadLetters(corrupted.length + 2);
    const late = letters.filter((l) => l.headers.reason === 'too_late');
    expect(late).toHaveLength(1);
    expect(late[0]?.headers.code).toBe('PULSE_ERR_VALIDATION');
    const [raw] = await rows<{ n: string }>(
      env.ch,
      sql`SELECT count() AS n FROM ${db('build_events')} FINAL WHERE event_id = ${tooLate.event_id}`,
    );
    expect(Number(raw?.n)).toBe(0);

    const counter = await metrics.registry.getSingleMetric('processor_late_events_total')?.get();
    const byDisposition = (d: string) => counter?.values.filter((v) => v.labels.disposition === d).reduce((a, v) => a + v.value, 0) ?? 0;
    expect(byDisposition('updated_window')).toBe(lateBuilds.length);
    expect(byDisposition('dead_lettered')).toBe(1);
  });
});
