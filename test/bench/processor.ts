/**
 * Processor throughput vs its peers, on the same pre-loaded Avro topic, in one run:
 *   - Avro decode alone (schema set, in memory)
 *   - raw ceiling: a bare kafkajs eachBatch consumer that only counts
 *   - Kafka Streams reference (test/bench/peers/kstreams, Java, built with Maven): per-pool 1-minute
 *     count, failures and duration percentiles
 *   - `pulse process` (the real processor, as a child process) until every offset is committed
 * Usage: npx tsx test/bench/processor.ts [--json] [--quick|--scale N] [--skip-peer]
 *   --skip-peer            leave out the Kafka Streams run (iterating on the processor)
 *   BENCH_CHILD_NODE_ARGS     extra node flags of the `pulse process` child (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`)
 *   BENCH_CHILD_LOG_LEVEL     its log level (default warn; `debug` logs per-flush phase timings)
 *   BENCH_BASELINE_ROOT       another checkout whose `pulse process` runs on the same topic too (A/B)
 */
import { spawn, spawnSync } from 'node:child_process';
import { Partitioners } from 'kafkajs';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createSchemaSet, SCHEMA_DIR } from '../../ingest/index.js';
import { applySchema, createClickHouse, createKafka, ident } from '../../sinks/index.js';
import { createLogger } from '../../common/logger.js';
import { topicNames } from '../../common/topics.js';
import { isolatedConfig, uniqueName } from '../helpers/env.js';
import { benchBuildEvents } from './lib/build-events.js';
import { benchFlags, progress, r, report } from './lib/bench-io.js';
import { keepForever } from './lib/retention.js';

const ROOT = resolve(import.meta.dirname, '../..');
const PEER = resolve(ROOT, 'test/bench/peers/kstreams');
const flags = benchFlags();
const N = Math.round((300_000 * flags.scale) / 3) * 3;
const name = uniqueName('bench');
const config = isolatedConfig(name, { logLevel: 'warn' });
const logger = createLogger({ level: 'warn' });
const topics = topicNames(config.kafka.topicPrefix);
const kafka = createKafka(config, logger, 'bench');
const schemas = createSchemaSet();

async function preload(): Promise<Buffer[]> {
  progress(`encoding ${N} build events`);
  const encoded: { key: string; value: Buffer; timestamp: string }[] = [];
  for (const ev of benchBuildEvents(N))
    encoded.push({ key: ev.pool, value: schemas.encode('build', ev), timestamp: String(ev.event_time) });
  progress(`producing ${N} events to ${topics['events.build']}`);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let i = 0; i < encoded.length; i += 5000)
    await producer.send({ topic: topics['events.build'], acks: -1, messages: encoded.slice(i, i + 5000) });
  await producer.disconnect();
  return encoded.map((e) => e.value);
}

function decodeOnly(values: Buffer[]): number {
  const t0 = performance.now();
  let finished = 0;
  for (const v of values) if (schemas.decodeAs('build', v).type === 'FINISHED') finished++;
  const secs = (performance.now() - t0) / 1000;
  if (finished !== N / 3) throw new Error(`decoded ${finished} finished events, expected ${N / 3}`);
  return values.length / secs;
}

async function rawCeiling(): Promise<number> {
  const consumer = kafka.consumer({ groupId: `${name}-raw`, maxBytes: 50 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic: topics['events.build'], fromBeginning: true });
  let count = 0;
  let first = 0;
  let last = 0;
  await new Promise<void>((done) => {
    void consumer.run({
      eachBatch: async (payload) => {
        const { batch } = payload;
        if (first === 0) first = performance.now();
        count += batch.messages.length;
        const lastMsg = batch.messages.at(-1);
        if (lastMsg) payload.resolveOffset(lastMsg.offset);
        await payload.heartbeat();
        if (count >= N) {
          last = performance.now();
          done();
        }
      },
    });
  });
  await consumer.disconnect();
  return N / ((last - first) / 1000);
}

function kafkaStreams(): { eventsPerSec: number; startupSeconds: number } | { error: string } {
  if (!existsSync(resolve(PEER, 'target/lib'))) {
    progress('building the Kafka Streams peer (mvn package, once)');
    const b = spawnSync('mvn', ['-q', '-B', 'package', '-DskipTests'], { cwd: PEER, encoding: 'utf8' });
    if (b.status !== 0) return { error: `mvn package failed: ${b.stdout}${b.stderr}`.slice(0, 500) };
  }
  progress('running the Kafka Streams peer');
  const run = spawnSync(
    'java',
    [
      '-Xmx1g',
      '-cp',
      `${PEER}/target/classes:${PEER}/target/lib/*`,
      'dev.factorypulse.bench.PoolWindowJob',
      config.kafka.brokers.join(','),
      topics['events.build'],
      resolve(SCHEMA_DIR, 'build-event.avsc'),
      String(N),
      `${name}-kstreams`,
    ],
    { encoding: 'utf8', timeout: 900_000 },
  );
  const line = run.stdout.trim().split('\n').pop() ?? '';
  try {
    const j = JSON.parse(line) as { ok: boolean; eventsPerSec: number; startupSeconds: number };
    return j.ok ? { eventsPerSec: j.eventsPerSec, startupSeconds: j.startupSeconds } : { error: 'did not see every record in time' };
  } catch {
    return { error: `unexpected output: ${line || run.stderr.slice(-400)}` };
  }
}

/** Resident memory of a process, MiB (0 when unreadable). */
function rssMiB(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function pulseProcess(
  root = ROOT,
  label = 'pulse',
): Promise<{ eventsPerSec: number; seconds: number; peakRssMiB: number } | { error: string }> {
  const help = spawnSync('node', [resolve(root, 'common/cli/pulse.mjs'), '--help'], { encoding: 'utf8' }).stdout;
  if (!/\n\s+process\b/.test(help)) return { error: '`pulse process` is not available in this build' };
  const group = `${name}-${label}`;
  progress('running pulse process until every offset is committed');
  const env = {
    ...process.env,
    PULSE_TOPIC_PREFIX: config.kafka.topicPrefix,
    CLICKHOUSE_DATABASE: config.clickhouse.database,
    PULSE_LOG_LEVEL: process.env.BENCH_CHILD_LOG_LEVEL ?? 'warn',
  };
  const nodeArgs = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn('node', [...nodeArgs, resolve(root, 'common/cli/pulse.mjs'), 'process', '--group', group, '--only', 'features'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const admin = kafka.admin();
  await admin.connect();
  const t0 = performance.now();
  let first = 0;
  let peakRss = 0;
  try {
    for (;;) {
      peakRss = Math.max(peakRss, rssMiB(child.pid));
      if (child.exitCode !== null) return { error: `pulse process exited with ${child.exitCode}` };
      const offs = await admin.fetchOffsets({ groupId: group, topics: [topics['events.build']] });
      const committed = (offs[0]?.partitions ?? []).reduce((s, p) => s + Math.max(0, Number(p.offset)), 0);
      if (committed > 0 && first === 0) first = performance.now();
      if (committed >= N) break;
      if (performance.now() - t0 > 900_000) return { error: `only ${committed}/${N} committed after 900 s` };
      await new Promise((res) => setTimeout(res, 200));
    }
    const secs = (performance.now() - (first || t0)) / 1000;
    return { eventsPerSec: N / secs, seconds: secs, peakRssMiB: r(peakRss) };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((res) => child.once('exit', res));
      child.kill('SIGTERM');
      await exited;
    }
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  await applySchema(config, logger);
  await keepForever(kafka, [topics['events.build']]);
  const values = await preload();
  const decode = decodeOnly(values);
  progress(`decode only: ${r(decode)} events/s`);
  const raw = await rawCeiling();
  progress(`raw kafkajs ceiling: ${r(raw)} events/s`);
  const ks = process.argv.includes('--skip-peer') ? { error: 'skipped (--skip-peer)' } : kafkaStreams();
  const pulse = await pulseProcess();
  // A/B against another checkout (e.g. the previous commit) on the same topic, in the same run.
  const baselineRoot = process.env.BENCH_BASELINE_ROOT;
  const baseline = baselineRoot ? await pulseProcess(baselineRoot, 'baseline') : undefined;
  const ksRate = 'eventsPerSec' in ks ? ks.eventsPerSec : null;
  const pulseRate = 'eventsPerSec' in pulse ? pulse.eventsPerSec : null;
  const result = {
    events: N,
    avroDecodeEventsPerSec: r(decode),
    rawKafkajsEventsPerSec: r(raw),
    kafkaStreams: ks,
    pulseProcess: pulse,
    ...(baseline ? { baselineProcess: { root: baselineRoot, ...baseline } } : {}),
    pulseVsKafkaStreams: pulseRate && ksRate ? r(pulseRate / ksRate, 3) : null,
    pulseFractionOfRawCeiling: pulseRate ? r(pulseRate / raw, 3) : null,
  };
  report(flags, result, [
    `processor throughput over ${N} pre-loaded Avro build events (one run, same machine)`,
    `  Avro decode alone          ${r(decode)} events/s`,
    `  bare kafkajs eachBatch     ${r(raw)} events/s`,
    `  Kafka Streams (Java)       ${ksRate ? `${r(ksRate)} events/s` : JSON.stringify(ks)}`,
    `  pulse process              ${pulseRate ? `${r(pulseRate)} events/s` : JSON.stringify(pulse)}`,
    `  pulse / Kafka Streams      ${result.pulseVsKafkaStreams ?? '-'}`,
    `  pulse / raw ceiling        ${result.pulseFractionOfRawCeiling ?? '-'}`,
    ...(baseline
      ? [`  baseline (${baselineRoot})  ${'eventsPerSec' in baseline ? `${r(baseline.eventsPerSec)} events/s` : JSON.stringify(baseline)}`]
      : []),
  ]);
}

try {
  await main();
} finally {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  await admin.disconnect();
  const ch = createClickHouse(config);
  await ch.command({ query: `DROP DATABASE IF EXISTS ${ident(config.clickhouse.database).text}` });
  await ch.close();
}
