/**
 * Freshness: delay from an event's produce time to it being visible in ClickHouse, with `pulse process`
 * (features only, as a child process) consuming isolated topics into an isolated database.
 * At each rate (2k, 10k events/s and the highest the producer sustains here) build events stamped "now"
 * are produced for a bounded time. Every ~100 ms one sample FINISHED event of its own pool is sent with the
 * filler; its delay is measured twice by polling ClickHouse every 100 ms (so ±100 ms resolution):
 *   - raw: its row visible in `build_events`;
 *   - feature: `pool_features_1m FINAL` row of its pool/minute showing builds_finished = 1.
 * p50/p99 per rate over the samples seen within the drain timeout (unseen samples are counted, not hidden).
 * Usage: npx tsx test/bench/freshness.ts [--json] [--quick|--scale N]
 */
import { Partitioners } from 'kafkajs';
import { createLogger } from '../../common/logger.js';
import { topicNames } from '../../common/topics.js';
import { createSchemaSet, type BuildEvent } from '../../ingest/index.js';
import { applySchema, createClickHouse, createKafka, escapeValue, ident } from '../../sinks/index.js';
import { isolatedConfig, uniqueName } from '../helpers/env.js';
import { startProcessor, stopChild } from '../faults/harness.js';
import { dropIsolated } from '../helpers/cleanup.js';
import { benchBuildEvents } from './lib/build-events.js';
import { benchFlags, progress, quantileSorted, r, report } from './lib/bench-io.js';

const flags = benchFlags();
const PHASE_MS = Math.max(5_000, Math.round(20_000 * flags.scale));
const DRAIN_MS = 30_000;
const RATES: readonly (number | 'max')[] = [2_000, 10_000, 'max'];
const name = uniqueName('bench_fresh');
const config = isolatedConfig(name, { logLevel: 'warn' });
const logger = createLogger({ level: 'warn' });
const kafka = createKafka(config, logger, 'bench-fresh');
const topic = topicNames(config.kafka.topicPrefix)['events.build'];
const schemas = createSchemaSet();
const ch = createClickHouse(config);
const db = ident(config.clickhouse.database).text;
const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

/** A sample in flight: its pool (unique) and when it was handed to the producer. */
interface Sample {
  pool: string;
  sentAt: number;
  rawAt?: number;
  featAt?: number;
}

const template = [...benchBuildEvents(30_000, { pools: 8 })];
let fillerSeq = 0;
function filler(now: number): BuildEvent {
  const base = template[fillerSeq % template.length] as BuildEvent;
  const n = fillerSeq++;
  return { ...base, producer_id: name, event_id: `f${n}`, seq: n, event_time: now };
}
const finishedTemplate = template.find((e) => e.type === 'FINISHED');
if (!finishedTemplate) throw new Error('bench events hold no FINISHED build event');
function sampleEvent(pool: string, now: number): BuildEvent {
  const base = finishedTemplate as BuildEvent;
  return { ...base, producer_id: name, event_id: `s-${pool}`, build_id: pool, pool, seq: fillerSeq++, event_time: now };
}

async function poll(samples: Sample[], state: { producing: boolean }, until: number): Promise<void> {
  for (;;) {
    const rawPending = samples.filter((s) => s.rawAt === undefined);
    const featPending = samples.filter((s) => s.featAt === undefined);
    if ((!state.producing && rawPending.length === 0 && featPending.length === 0) || Date.now() > until) return;
    const t0 = Date.now();
    const inList = (xs: Sample[]): string => xs.map((s) => escapeValue(s.pool)).join(',');
    if (rawPending.length > 0) {
      const rs = await ch.query({
        query: `SELECT DISTINCT pool FROM ${db}.build_events WHERE pool IN (${inList(rawPending)})`,
        format: 'JSONEachRow',
      });
      const seen = new Set((await rs.json<{ pool: string }>()).map((x) => x.pool));
      for (const s of rawPending) if (seen.has(s.pool)) s.rawAt = t0;
    }
    if (featPending.length > 0) {
      const rs = await ch.query({
        query: `SELECT pool FROM ${db}.pool_features_1m FINAL WHERE pool IN (${inList(featPending)}) AND builds_finished >= 1`,
        format: 'JSONEachRow',
      });
      const seen = new Set((await rs.json<{ pool: string }>()).map((x) => x.pool));
      for (const s of featPending) if (seen.has(s.pool)) s.featAt = t0;
    }
    await sleep(Math.max(0, 100 - (Date.now() - t0)));
  }
}

function stats(delays: number[], total: number): { seen: number; unseen: number; p50Ms: number; p99Ms: number } {
  const sorted = [...delays].sort((a, b) => a - b);
  return { seen: sorted.length, unseen: total - sorted.length, p50Ms: quantileSorted(sorted, 0.5), p99Ms: quantileSorted(sorted, 0.99) };
}

async function phase(producer: ReturnType<typeof kafka.producer>, label: string, rate: number | 'max', ms: number, drainMs = DRAIN_MS) {
  const samples: Sample[] = [];
  // Filler is encoded before the clock starts (event time = phase start), so the producer, not Avro
  // encoding, bounds the rate; at 'max' the pre-encoded buffers are cycled.
  const planned = Math.min(200_000, rate === 'max' ? 200_000 : Math.ceil((rate * ms) / 1000));
  const stamp = Date.now();
  const pre = Array.from({ length: planned }, () => {
    const ev = filler(stamp);
    return { key: ev.pool, value: schemas.encode('build', ev), timestamp: String(stamp) };
  });
  const state = { producing: true };
  const start = Date.now();
  const polling = poll(samples, state, start + ms + drainMs);
  const inFlight = new Set<Promise<unknown>>();
  let sent = 0;
  let nextSample = start;
  for (let now = Date.now(); now - start < ms; now = Date.now()) {
    const due = rate === 'max' ? sent + 5_000 : Math.min(sent + 10_000, Math.floor(((now - start) / 1000) * rate));
    const messages = [];
    for (; sent < due; sent++) messages.push(pre[sent % pre.length] as (typeof pre)[number]);
    if (now >= nextSample) {
      const s: Sample = { pool: `${label}-${samples.length}`, sentAt: now };
      const ev = sampleEvent(s.pool, now);
      messages.push({ key: ev.pool, value: schemas.encode('build', ev), timestamp: String(now) });
      samples.push(s);
      nextSample = now + 100;
    }
    if (messages.length > 0) {
      const p = producer.send({ topic, acks: -1, messages }).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    if (inFlight.size >= 4) await Promise.race(inFlight);
    if (rate !== 'max') await sleep(Math.max(0, 20 - (Date.now() - now)));
  }
  await Promise.all(inFlight);
  state.producing = false;
  const achieved = sent / ((Date.now() - start) / 1000);
  progress(`${label}: produced ${sent} events at ${r(achieved)} events/s; ${samples.length} samples; draining`);
  await polling;
  const raw = stats(
    samples.flatMap((s) => (s.rawAt === undefined ? [] : [s.rawAt - s.sentAt])),
    samples.length,
  );
  const feature = stats(
    samples.flatMap((s) => (s.featAt === undefined ? [] : [s.featAt - s.sentAt])),
    samples.length,
  );
  progress(`${label}: raw p50 ${raw.p50Ms} ms p99 ${raw.p99Ms} ms; feature p50 ${feature.p50Ms} ms p99 ${feature.p99Ms} ms`);
  return { targetEventsPerSec: rate, achievedEventsPerSec: r(achieved), seconds: ms / 1000, raw, feature };
}

async function main(): Promise<Record<string, unknown>[]> {
  await applySchema(config, logger);
  const child = startProcessor(config, `${name}-g`);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    progress('warming up until pulse process writes rows');
    const warm = await phase(producer, 'warmup', 500, 2_000, 90_000);
    if (warm.raw.seen === 0) throw new Error(`pulse process wrote nothing within 90 s (exit code ${child.exitCode})`);
    const out = [];
    for (const [i, rate] of RATES.entries()) out.push(await phase(producer, `r${i}`, rate, PHASE_MS));
    return out;
  } finally {
    await producer.disconnect();
    await stopChild(child);
  }
}

try {
  const phases = await main();
  report(flags, { measures: 'produce → raw build_events row and pool_features_1m FINAL row visible', phases }, [
    'freshness: produce time → visible in ClickHouse (polled every 100 ms), pulse process --only features',
    ...phases.map((p) => JSON.stringify(p)),
  ]);
} finally {
  await ch.close();
  await dropIsolated(config);
}
