/** Feature math of window aggregates: counts, ratios, moments, slots, sketch merge and serialization. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BuildEvent, ResourceEvent } from '../../../ingest/index.js';
import {
  addBuild,
  addResource,
  deserializeAggregate,
  emptyAggregate,
  mergeInto,
  serializeAggregate,
  type SerializedAggregate,
} from '../../../processors/features/aggregate.js';
import { updateCombinationState } from '../../../processors/features/combination-state.js';
import { featureMetrics } from '../../../processors/features/feature-row.js';
import { SKETCH_RELATIVE_ACCURACY } from '../../../processors/features/sketch.js';

const base: BuildEvent = {
  event_id: 'e',
  event_time: 1_000,
  producer_id: 'p',
  seq: 1,
  type: 'FINISHED',
  build_id: 'b',
  job_id: 'j',
  pool: 'pool',
  executor: 'ex',
  arch: 'amd64',
  combination: ['debian@12'],
  queue_wait_ms: null,
  duration_ms: 100,
  status: 'PASSED',
  failure_category: null,
  image_size_bytes: null,
  layer_count: null,
  sbom_generation_ms: null,
  features: {},
};
const finished = (duration: number, status: BuildEvent['status'] = 'PASSED', cat: string | null = null): BuildEvent => ({
  ...base,
  duration_ms: duration,
  status,
  failure_category: cat,
});
const sample = (executor: string, cpu: number, running: number, slots: number): ResourceEvent => ({
  event_id: 'r',
  event_time: 1,
  producer_id: 'p',
  seq: 1,
  executor,
  pool: 'pool',
  cpu_util: cpu,
  memory_util: 0.5,
  memory_bytes: 1,
  disk_read_bps: 0,
  disk_write_bps: 0,
  net_rx_bps: 0,
  net_tx_bps: 0,
  running_builds: running,
  slots,
  queued: 2,
});

describe('window aggregate', () => {
  it('computes counts, failure rate by category, mean and stddev', () => {
    const a = emptyAggregate();
    for (const d of [100, 200, 300]) addBuild(a, finished(d));
    addBuild(a, finished(400, 'FAILED', 'compile'));
    addBuild(a, finished(500, 'ERRORED', null));
    addBuild(a, finished(50, 'CANCELLED'));
    addBuild(a, { ...base, type: 'STARTED', status: null, duration_ms: null, queue_wait_ms: 1000 });
    const m = featureMetrics(a);
    expect(m).toMatchObject({
      builds_finished: 6,
      builds_passed: 3,
      builds_failed: 2,
      builds_errored: 1,
      builds_cancelled: 1,
      builds_started: 1,
    });
    expect(m.failure_rate).toBeCloseTo(2 / 5, 12);
    expect(m.failure_categories).toEqual(['compile', 'unknown']);
    expect(m.failure_category_counts).toEqual([1, 1]);
    const ds = [100, 200, 300, 400, 500, 50];
    const mean = ds.reduce((x, y) => x + y) / ds.length;
    expect(m.duration_mean_ms).toBeCloseTo(mean, 9);
    expect(m.duration_stddev_ms).toBeCloseTo(Math.sqrt(ds.reduce((s, d) => s + (d - mean) ** 2, 0) / ds.length), 9);
    expect(m.duration_max_ms).toBe(500);
    expect(m.queue_wait_p50_ms).toBeCloseTo(1000, -1);
    expect(m.cache_hit_ratio).toBeNull();
    expect(m.cpu_util_avg).toBeNull();
  });

  it('averages slots per executor and sums over executors', () => {
    const a = emptyAggregate();
    addResource(a, sample('x', 0.2, 1, 4));
    addResource(a, sample('x', 0.4, 3, 4));
    addResource(a, sample('y', 0.9, 2, 2));
    const m = featureMetrics(a);
    expect(m.executors).toBe(2);
    expect(m.running_slots_avg).toBeCloseTo(2 + 2, 12);
    expect(m.available_slots_avg).toBeCloseTo(4 + 2, 12);
    expect(m.slot_utilisation).toBeCloseTo(4 / 6, 12);
    expect(m.cpu_util_avg).toBeCloseTo(0.5, 12);
    expect(m.cpu_util_max).toBe(0.9);
  });

  it('merging partials equals aggregating everything at once; serialization round-trips exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3_600_000 }), { minLength: 1, maxLength: 200 }), fc.nat(), (durations, cut) => {
        const whole = emptyAggregate();
        const left = emptyAggregate();
        const right = emptyAggregate();
        durations.forEach((d, i) => {
          addBuild(whole, finished(d));
          addBuild(i < cut % (durations.length + 1) ? left : right, finished(d));
        });
        const merged = emptyAggregate();
        mergeInto(merged, deserializeAggregate(JSON.parse(JSON.stringify(serializeAggregate(left))) as SerializedAggregate));
        mergeInto(merged, deserializeAggregate(JSON.parse(JSON.stringify(serializeAggregate(right))) as SerializedAggregate));
        const a = featureMetrics(whole);
        const b = featureMetrics(merged);
        expect(b.builds_finished).toBe(a.builds_finished);
        for (const k of ['duration_p50_ms', 'duration_p90_ms', 'duration_p95_ms', 'duration_p99_ms', 'duration_max_ms'] as const)
          expect(b[k]).toBe(a[k]);
        expect(b.duration_mean_ms).toBeCloseTo(a.duration_mean_ms ?? NaN, 6);
        // And the sketch keeps its promise against the exact (lower) quantile.
        const sorted = [...durations].sort((x, y) => x - y);
        for (const [q, k] of [
          [0.5, 'duration_p50_ms'],
          [0.99, 'duration_p99_ms'],
        ] as const) {
          const exact = sorted[Math.floor(q * (sorted.length - 1))] ?? 0;
          expect(Math.abs((b[k] ?? NaN) - exact)).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY * exact + 1e-9);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('combination state', () => {
  it('keeps EWMAs, the last failure and the last N durations', () => {
    const settings = { alpha: 0.5, lastN: 2 };
    let s = updateCombinationState(undefined, { ...finished(100), event_time: 10 }, 1, settings);
    expect(s).toMatchObject({ builds: 1, failures: 0, ewma_duration_ms: 100, ewma_failure_rate: 0, last_failure_time_ms: 0 });
    s = updateCombinationState(s, { ...finished(300, 'FAILED', 'test'), event_time: 20 }, 2, settings);
    expect(s).toMatchObject({
      builds: 2,
      failures: 1,
      ewma_duration_ms: 200,
      ewma_failure_rate: 0.5,
      last_failure_time_ms: 20,
      version: 2,
    });
    s = updateCombinationState(s, { ...finished(500), event_time: 30 }, 3, settings);
    expect(s.ewma_duration_ms).toBe(350);
    expect(s.ewma_failure_rate).toBe(0.25);
    expect(s.last_durations_ms).toEqual([300, 500]);
    s = updateCombinationState(s, { ...finished(9_999, 'CANCELLED'), event_time: 40 }, 4, settings);
    expect(s).toMatchObject({ builds: 4, ewma_duration_ms: 350, ewma_failure_rate: 0.25 });
  });
});
