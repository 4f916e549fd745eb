/** Feature processor against an in-memory store: crash/replay determinism, dead letters, lateness, sink failures. */
import { describe, expect, it } from 'vitest';
import { createSchemaSet } from '../../../ingest/index.js';
import type { DeadLetter } from '../../../sinks/index.js';
import { generateFleet, rng } from '../../integration/processors/support/fleet-events.js';
import { createFakeStore } from './fake-store.js';
import { featureTables, makeProcessor, toLog, type Log } from './harness.js';

const START = Date.UTC(2026, 1, 2, 12, 0, 0);
const schemas = createSchemaSet();
const fleet = generateFleet({
  seed: 3,
  startMs: START,
  minutes: 3,
  pools: ['a', 'b'],
  executorsPerPool: 2,
  buildsPerMinutePerPool: 3,
  disorderMs: 2000,
});

/** Runs a log to the end without crashing, flushing every few batches. */
async function cleanRun(log: Log): Promise<Record<string, unknown[]>> {
  const store = createFakeStore();
  const { processor } = makeProcessor(store, []);
  for (const p of log.values())
    for (let i = 0; i < p.messages.length; i += 37) {
      await processor.handleBatch(p.topic, p.partition, p.messages.slice(i, i + 37));
      if (i % 111 === 0) await processor.flush();
    }
  await processor.flush();
  return featureTables(store);
}

/**
 * Runs a log with crashes: processors die (state lost) at random points — between batches, in the
 * middle of a flush (some inserts done), or after a flush but before the offset commit — and
 * restart from the committed offsets, like Kafka redelivery.
 */
async function crashyRun(log: Log, seed: number, instances: number): Promise<{ tables: Record<string, unknown[]>; crashes: number }> {
  const r = rng(seed);
  const store = createFakeStore();
  const committed = new Map<string, number>();
  const parts = [...log.keys()];
  let crashes = 0;
  // Fetch positions of the live consumers: they restart at the committed offsets after every crash.
  let position = new Map<string, number>();
  const owners = () => {
    position = new Map(committed);
    return Array.from({ length: instances }, () => makeProcessor(store, []).processor);
  };
  let procs = owners();
  const ownerOf = (i: number) => procs[i % procs.length];
  const done = () => parts.every((id) => (position.get(id) ?? 0) >= (log.get(id)?.messages.length ?? 0));
  for (let round = 0; !done() && round < 5000; round++) {
    const i = Math.floor(r() * parts.length);
    const id = parts[i] ?? '';
    const p = log.get(id);
    const proc = ownerOf(i);
    if (!p || !proc) continue;
    const from = position.get(id) ?? 0;
    const batch = p.messages.slice(from, from + 1 + Math.floor(r() * 60));
    if (batch.length > 0) await proc.handleBatch(p.topic, p.partition, batch);
    position.set(id, from + batch.length);
    const roll = r();
    if (roll < 0.1) {
      crashes++;
      procs = owners(); // everyone restarts: in-memory state gone (a rebalance, or one instance killed)
    } else if (roll < 0.15 && proc.pending() > 0) {
      store.failNext = 1 + Math.floor(r() * 8); // crash in the middle of a flush
      await expect(proc.flush()).rejects.toThrow();
      store.failNext = 0;
      crashes++;
      procs = owners();
    } else if (roll < 0.2) {
      await proc.flush(); // flushed, but died before committing
      crashes++;
      procs = owners();
    } else if (roll < 0.5) {
      for (const o of await proc.flush()) committed.set(`${o.topic}:${o.partition}`, Number(o.offset));
    }
    // Offsets the processor already applied are re-delivered from the committed position next time.
  }
  for (const proc of procs) for (const o of await proc.flush()) committed.set(`${o.topic}:${o.partition}`, Number(o.offset));
  expect(done()).toBe(true);
  return { tables: featureTables(store), crashes };
}

describe('feature processor with crashes (in-memory store)', () => {
  it('ends with exactly the rows of a crash-free run, for one instance and for two splitting partitions', async () => {
    const log = toLog(schemas, fleet.messages, 2);
    const clean = await cleanRun(log);
    expect(Object.keys(clean)).toContain('pool_features_1m');
    const finished = (clean.pool_features_1m as { builds_finished: number }[]).reduce((a, r) => a + r.builds_finished, 0);
    expect(finished).toBe([...fleet.finishedPerPoolMinute.values()].reduce((a, b) => a + b, 0));
    for (const [seed, instances] of [
      [1, 1],
      [2, 2],
    ] as const) {
      const run = await crashyRun(log, seed, instances);
      expect(run.crashes).toBeGreaterThan(3);
      expect(run.tables).toEqual(clean);
    }
  }, 120_000);
});

describe('dead letters and lateness', () => {
  it('dead-letters undecodable and invalid messages with reasons and applies every valid one', async () => {
    const store = createFakeStore();
    const letters: DeadLetter[] = [];
    const bad = new Set<number>();
    const log = toLog(schemas, fleet.messages, 2, (i, b) => {
      if (i % 50 !== 7) return b;
      bad.add(i);
      return i % 100 === 7 ? b.subarray(0, 4) : Buffer.concat([Buffer.from([0x00, 0x00]), b.subarray(2)]);
    });
    const build0 = log.get('unit.events.build:0');
    build0?.messages.push({ offset: String(build0.messages.length), key: null, value: null }); // a tombstone
    const { processor } = makeProcessor(store, letters);
    for (const p of log.values()) await processor.handleBatch(p.topic, p.partition, p.messages);
    await processor.flush();
    expect(letters).toHaveLength(bad.size + 1);
    expect(new Set(letters.map((l) => l.reason))).toEqual(new Set(['truncated', 'bad_magic', 'invalid:<message>']));
    for (const l of letters) expect(l.code).toMatch(/^PULSE_ERR_(DECODE|VALIDATION)$/);
    const rawCount = ['build_events', 'cache_events', 'resource_events', 'test_results'].reduce((a, t) => a + store.final(t).length, 0);
    expect(rawCount).toBe(fleet.messages.length - bad.size);
  });

  it('updates a closed window within the lateness and dead-letters beyond it', async () => {
    const store = createFakeStore();
    const letters: DeadLetter[] = [];
    const { processor, metrics } = makeProcessor(store, letters, { allowedLatenessMs: 60_000, watermarkDelayMs: 0 });
    const build = fleet.messages.find((m) => m.family === 'build' && m.value.type === 'FINISHED');
    if (build?.family !== 'build') throw new Error('no finished build generated');
    const at = (id: string, t: number) => ({ ...build, value: { ...build.value, event_id: id, pool: 'late', event_time: t } });
    const T = START;
    const msgs = [at('a', T + 1_000), at('b', T + 90_000), at('late', T + 2_000), at('c', T + 200_000), at('too-late', T + 3_000)];
    const log = toLog(schemas, msgs, 1);
    const p = [...log.values()][0];
    if (!p) throw new Error('empty log');
    await processor.handleBatch(p.topic, p.partition, p.messages.slice(0, 2));
    await processor.flush();
    const before = store.final('pool_features_1m').find((r) => r.pool === 'late' && r.window_start === T / 1000);
    expect(before?.builds_finished).toBe(1);
    await processor.handleBatch(p.topic, p.partition, p.messages.slice(2));
    await processor.flush();
    const after = store.final('pool_features_1m').find((r) => r.pool === 'late' && r.window_start === T / 1000);
    expect(after).toMatchObject({ builds_finished: 2, late_events: 1, version: 2 });
    expect(letters.map((l) => l.reason)).toEqual(['too_late']);
    const late = await metrics.late.get();
    expect(late.values.map((v) => [v.labels.disposition, v.value]).sort()).toEqual([
      ['dead_lettered', 1],
      ['updated_window', 1],
    ]);
  });

  it('keeps everything pending when the sink fails and writes it on the next flush', async () => {
    const store = createFakeStore();
    const { processor } = makeProcessor(store, []);
    const log = toLog(schemas, fleet.messages.slice(0, 200), 1);
    for (const p of log.values()) await processor.handleBatch(p.topic, p.partition, p.messages);
    store.failNext = 3;
    await expect(processor.flush()).rejects.toThrow(/fake insert/);
    expect(processor.pending()).toBe(200);
    const offsets = await processor.flush();
    expect(offsets.reduce((a, o) => a + Number(o.offset), 0)).toBe(200);
    expect(processor.pending()).toBe(0);
    expect(await processor.flush()).toEqual([]);
  });
});
