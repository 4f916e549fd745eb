/** Turns a merged window aggregate into the metric columns shared by every `*_features_*` table. */
import { quantileOrNull } from './sketch.js';
import type { Aggregate } from './aggregate.js';

/** Metric columns of a feature row (see deploy/clickhouse/migrations/0110_features.sql). */
export interface FeatureMetrics {
  events: number;
  late_events: number;
  builds_queued: number;
  builds_started: number;
  builds_finished: number;
  builds_passed: number;
  builds_failed: number;
  builds_errored: number;
  builds_cancelled: number;
  failure_rate: number | null;
  failure_categories: string[];
  failure_category_counts: number[];
  duration_p50_ms: number | null;
  duration_p90_ms: number | null;
  duration_p95_ms: number | null;
  duration_p99_ms: number | null;
  duration_mean_ms: number | null;
  duration_stddev_ms: number | null;
  duration_max_ms: number | null;
  queue_wait_p50_ms: number | null;
  queue_wait_p95_ms: number | null;
  queue_wait_mean_ms: number | null;
  cache_hits: number;
  cache_misses: number;
  cache_hit_ratio: number | null;
  cache_hit_bytes: number;
  cache_miss_bytes: number;
  cache_latency_avg_ms: number | null;
  resource_samples: number;
  cpu_util_avg: number | null;
  cpu_util_max: number | null;
  memory_util_avg: number | null;
  memory_util_max: number | null;
  executors: number;
  running_slots_avg: number | null;
  available_slots_avg: number | null;
  slot_utilisation: number | null;
  queued_avg: number | null;
  tests_passed: number;
  tests_failed: number;
  tests_flaky: number;
  tests_skipped: number;
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/** Computes the metric columns. Sums over executors run in sorted name order (deterministic floats). */
export function featureMetrics(a: Aggregate): FeatureMetrics {
  const durN = a.duration?.count ?? 0;
  const mean = ratio(a.durationSum, durN);
  const variance = mean === null ? null : Math.max(0, a.durationSumSq / durN - mean * mean);
  const cats = Object.keys(a.failureCategories).sort();
  const execs = Object.keys(a.executors).sort();
  let running = 0;
  let slots = 0;
  for (const name of execs) {
    const e = a.executors[name];
    if (!e || e.n === 0) continue;
    running += e.running / e.n;
    slots += e.slots / e.n;
  }
  const cacheN = a.cacheHits + a.cacheMisses;
  const hasRes = a.resourceSamples > 0;
  return {
    events: a.events,
    late_events: a.late,
    builds_queued: a.queued,
    builds_started: a.started,
    builds_finished: a.finished,
    builds_passed: a.passed,
    builds_failed: a.failed,
    builds_errored: a.errored,
    builds_cancelled: a.cancelled,
    failure_rate: ratio(a.failed, a.finished - a.cancelled),
    failure_categories: cats,
    failure_category_counts: cats.map((c) => a.failureCategories[c] ?? 0),
    duration_p50_ms: quantileOrNull(a.duration, 0.5),
    duration_p90_ms: quantileOrNull(a.duration, 0.9),
    duration_p95_ms: quantileOrNull(a.duration, 0.95),
    duration_p99_ms: quantileOrNull(a.duration, 0.99),
    duration_mean_ms: mean,
    duration_stddev_ms: variance === null ? null : Math.sqrt(variance),
    duration_max_ms: durN > 0 ? a.durationMax : null,
    queue_wait_p50_ms: quantileOrNull(a.queueWait, 0.5),
    queue_wait_p95_ms: quantileOrNull(a.queueWait, 0.95),
    queue_wait_mean_ms: ratio(a.queueWaitSum, a.queueWait?.count ?? 0),
    cache_hits: a.cacheHits,
    cache_misses: a.cacheMisses,
    cache_hit_ratio: ratio(a.cacheHits, cacheN),
    cache_hit_bytes: a.cacheHitBytes,
    cache_miss_bytes: a.cacheMissBytes,
    cache_latency_avg_ms: ratio(a.cacheLatencySum, cacheN),
    resource_samples: a.resourceSamples,
    cpu_util_avg: ratio(a.cpuSum, a.resourceSamples),
    cpu_util_max: hasRes ? a.cpuMax : null,
    memory_util_avg: ratio(a.memSum, a.resourceSamples),
    memory_util_max: hasRes ? a.memMax : null,
    executors: execs.length,
    running_slots_avg: hasRes ? running : null,
    available_slots_avg: hasRes ? slots : null,
    slot_utilisation: hasRes ? ratio(running, slots) : null,
    queued_avg: ratio(a.queuedSum, a.resourceSamples),
    tests_passed: a.testsPassed,
    tests_failed: a.testsFailed,
    tests_flaky: a.testsFlaky,
    tests_skipped: a.testsSkipped,
  };
}
