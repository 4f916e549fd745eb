import { describe, expect, it } from 'vitest';
import { createSchemaSet, FAMILY_TOPIC_IDS, generateFleet, keyFor, type FleetOptions, type SchemaSet } from '../../../ingest/index.js';

const HOUR = 3_600_000;
const base: FleetOptions = { seed: 7, pools: 2, executorsPerPool: 3, startMs: Date.UTC(2026, 0, 5, 8), durationMs: 2 * HOUR };

describe('fleet simulator', () => {
  const run = generateFleet(base);

  it('is deterministic for a seed and differs across seeds', () => {
    const again = generateFleet(base);
    expect(JSON.stringify(again.events)).toBe(JSON.stringify(run.events));
    expect(again.truth).toEqual(run.truth);
    const other = generateFleet({ ...base, seed: 8 });
    expect(JSON.stringify(other.events)).not.toBe(JSON.stringify(run.events));
  });

  it('yields valid events in event-time order with unique ids and per-producer sequences', () => {
    const schemas: SchemaSet = createSchemaSet();
    const ids = new Set<string>();
    const seqs = new Map<string, number>();
    let last = 0;
    for (const ev of run.events) {
      schemas.validate(ev.family, ev.value);
      expect(ev.value.event_time).toBeGreaterThanOrEqual(last);
      last = ev.value.event_time;
      expect(ids.has(ev.value.event_id)).toBe(false);
      ids.add(ev.value.event_id);
      expect(ev.value.seq).toBe((seqs.get(ev.value.producer_id) ?? 0) + 1);
      seqs.set(ev.value.producer_id, ev.value.seq);
      expect(keyFor(ev.family, ev.value as never)).not.toBe('');
    }
    expect(run.events.length).toBeGreaterThan(1000);
  });

  it('produces every event family at sensible proportions', () => {
    const f = run.truth.families;
    // 6 executors sample every 15 s from a random offset in the first interval.
    expect(f.resource).toBeGreaterThanOrEqual(6 * ((2 * HOUR) / 15_000 - 1));
    expect(f.resource).toBeLessThanOrEqual(6 * ((2 * HOUR) / 15_000));
    expect(f.build ?? 0).toBeGreaterThan(100);
    expect(f.cache ?? 0).toBeGreaterThan(f.build ?? 0);
    expect(f.test ?? 0).toBeGreaterThan(0);
    expect(f.sbom ?? 0).toBeGreaterThan(0);
    expect(f.sbom ?? 0).toBeLessThan(f.build ?? 0);
  });

  it('the ground truth matches the events', () => {
    const byFamily: Record<string, number> = {};
    const byTopic: Record<string, number> = {};
    let finished = 0;
    let failed = 0;
    for (const ev of run.events) {
      byFamily[ev.family] = (byFamily[ev.family] ?? 0) + 1;
      const topic = FAMILY_TOPIC_IDS[ev.family][0] ?? '';
      byTopic[topic] = (byTopic[topic] ?? 0) + 1;
      if (ev.family === 'build' && ev.value.type === 'FINISHED') {
        finished += 1;
        if (ev.value.status === 'FAILED' || ev.value.status === 'ERRORED') failed += 1;
      }
    }
    expect(run.truth.families).toEqual(byFamily);
    expect(run.truth.topics).toEqual(byTopic);
    expect(run.truth.total).toBe(run.events.length);
    expect(run.truth.buildsPerMinute.reduce((s, m) => s + m.finished, 0)).toBe(finished);
    expect(run.truth.buildsPerMinute.reduce((s, m) => s + m.failed, 0)).toBe(failed);
    expect(run.truth.incidents).toEqual([]);
  });

  it('stops at maxEvents (after the step in progress) with a truth of what was yielded', () => {
    const cut = generateFleet({ ...base, maxEvents: 500 });
    expect(cut.events.length).toBeGreaterThanOrEqual(500);
    expect(cut.events.length).toBeLessThan(520);
    expect(cut.truth.total).toBe(cut.events.length);
    expect(cut.events).toEqual(run.events.slice(0, cut.events.length));
  });
});

describe('fleet simulator realism', () => {
  it('cache hits depend on recency: hit ratio rises as executors warm up', () => {
    const { events } = generateFleet({ ...base, durationMs: 6 * HOUR });
    const cache = events.filter((e) => e.family === 'cache');
    const half = Math.floor(cache.length / 5);
    const ratio = (xs: typeof cache): number => xs.filter((e) => e.family === 'cache' && e.value.hit).length / xs.length;
    expect(ratio(cache.slice(-half))).toBeGreaterThan(ratio(cache.slice(0, half)));
  });

  it('anomalies inject every incident kind, and a failure burst raises the failure ratio', () => {
    const opts = { ...base, seed: 3, pools: 3, durationMs: 8 * HOUR, anomalies: true };
    const { events, truth } = generateFleet(opts);
    expect(new Set(truth.incidents.map((i) => i.kind))).toEqual(new Set(['slow_executor', 'cache_outage', 'failure_burst', 'stuck_queue']));
    for (const i of truth.incidents) {
      expect(i.endMs).toBeGreaterThan(i.startMs);
      expect(i.startMs).toBeGreaterThanOrEqual(opts.startMs);
    }
    const burst = truth.incidents.find((i) => i.kind === 'failure_burst');
    if (!burst) throw new Error('no burst');
    let inside = 0;
    let insideFailed = 0;
    let outside = 0;
    let outsideFailed = 0;
    for (const e of events) {
      if (e.family !== 'build' || e.value.type !== 'FINISHED' || e.value.pool !== burst.entity) continue;
      const failed = e.value.status === 'FAILED' || e.value.status === 'ERRORED' ? 1 : 0;
      const started = e.value.event_time - (e.value.duration_ms ?? 0);
      if (started >= burst.startMs && started < burst.endMs) {
        inside += 1;
        insideFailed += failed;
      } else {
        outside += 1;
        outsideFailed += failed;
      }
    }
    expect(inside).toBeGreaterThan(0);
    expect(insideFailed / inside).toBeGreaterThan(outsideFailed / outside + 0.2);
  });
});

describe('simulate --start', () => {
  it('accepts ISO-8601, epoch ms and "now"; names the flag otherwise', async () => {
    const { parseStart } = await import('../../../ingest/simulator/run.js');
    const { InputError } = await import('../../../common/errors.js');
    expect(parseStart('2026-01-05T06:00:00Z', 0)).toBe(Date.UTC(2026, 0, 5, 6));
    expect(parseStart('1767592800000', 0)).toBe(1767592800000);
    expect(parseStart('now', 42)).toBe(42);
    expect(() => parseStart('tomorrow', 0)).toThrow(InputError);
    expect(() => parseStart('tomorrow', 0)).toThrow(/--start/);
  });
});
