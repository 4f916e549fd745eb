/**
 * The aggregate of one entity in one window: additive counters plus duration / queue-wait sketches.
 * Partial aggregates (one per source partition) merge into the feature row of the window; merging is
 * commutative except for floating-point sums, so callers merge partials in a fixed order (by source).
 */
import type { DDSketch } from '@datadog/sketches-js';
import type { BuildEvent, CacheEvent, ResourceEvent, TestResult } from '../../ingest/index.js';
import { newSketch, sketchFromArray, sketchToArray, type SerializedSketch } from './sketch.js';

/** Per-executor resource sums, so slots are averaged per executor and summed over executors. */
export interface ExecutorSlots {
  n: number;
  running: number;
  slots: number;
}

/** Mutable window aggregate. */
export interface Aggregate {
  events: number;
  late: number;
  queued: number;
  started: number;
  finished: number;
  passed: number;
  failed: number;
  errored: number;
  cancelled: number;
  failureCategories: Record<string, number>;
  /** Created on the first duration (most windows of cache/resource events never need one). */
  duration: DDSketch | undefined;
  durationSum: number;
  durationSumSq: number;
  durationMax: number;
  queueWait: DDSketch | undefined;
  queueWaitSum: number;
  cacheHits: number;
  cacheMisses: number;
  cacheHitBytes: number;
  cacheMissBytes: number;
  cacheLatencySum: number;
  resourceSamples: number;
  cpuSum: number;
  cpuMax: number;
  memSum: number;
  memMax: number;
  queuedSum: number;
  executors: Record<string, ExecutorSlots>;
  testsPassed: number;
  testsFailed: number;
  testsFlaky: number;
  testsSkipped: number;
}

type Counters = Omit<Aggregate, 'duration' | 'queueWait' | 'failureCategories' | 'executors'>;

const COUNTER_KEYS: readonly (keyof Counters)[] = [
  'events',
  'late',
  'queued',
  'started',
  'finished',
  'passed',
  'failed',
  'errored',
  'cancelled',
  'durationSum',
  'durationSumSq',
  'durationMax',
  'queueWaitSum',
  'cacheHits',
  'cacheMisses',
  'cacheHitBytes',
  'cacheMissBytes',
  'cacheLatencySum',
  'resourceSamples',
  'cpuSum',
  'cpuMax',
  'memSum',
  'memMax',
  'queuedSum',
  'testsPassed',
  'testsFailed',
  'testsFlaky',
  'testsSkipped',
];

const MAX_KEYS = new Set<keyof Counters>(['durationMax', 'cpuMax', 'memMax']);

/** An empty aggregate (an object literal: one hidden class for all aggregates, cheap to create). */
export function emptyAggregate(): Aggregate {
  return {
    events: 0,
    late: 0,
    queued: 0,
    started: 0,
    finished: 0,
    passed: 0,
    failed: 0,
    errored: 0,
    cancelled: 0,
    failureCategories: {},
    duration: undefined,
    durationSum: 0,
    durationSumSq: 0,
    durationMax: 0,
    queueWait: undefined,
    queueWaitSum: 0,
    cacheHits: 0,
    cacheMisses: 0,
    cacheHitBytes: 0,
    cacheMissBytes: 0,
    cacheLatencySum: 0,
    resourceSamples: 0,
    cpuSum: 0,
    cpuMax: 0,
    memSum: 0,
    memMax: 0,
    queuedSum: 0,
    executors: {},
    testsPassed: 0,
    testsFailed: 0,
    testsFlaky: 0,
    testsSkipped: 0,
  };
}

/** Folds a build event in. */
export function addBuild(agg: Aggregate, ev: BuildEvent): void {
  if (ev.type === 'QUEUED') agg.queued += 1;
  else if (ev.type === 'STARTED') {
    agg.started += 1;
    if (ev.queue_wait_ms !== null) {
      (agg.queueWait ??= newSketch()).accept(ev.queue_wait_ms);
      agg.queueWaitSum += ev.queue_wait_ms;
    }
  } else {
    agg.finished += 1;
    if (ev.status === 'PASSED') agg.passed += 1;
    else if (ev.status === 'CANCELLED') agg.cancelled += 1;
    else {
      agg.failed += 1;
      if (ev.status === 'ERRORED') agg.errored += 1;
      const cat = ev.failure_category ?? 'unknown';
      agg.failureCategories[cat] = (agg.failureCategories[cat] ?? 0) + 1;
    }
    if (ev.duration_ms !== null) {
      (agg.duration ??= newSketch()).accept(ev.duration_ms);
      agg.durationSum += ev.duration_ms;
      agg.durationSumSq += ev.duration_ms * ev.duration_ms;
      agg.durationMax = Math.max(agg.durationMax, ev.duration_ms);
    }
  }
}

/** Folds a cache lookup in. */
export function addCache(agg: Aggregate, ev: CacheEvent): void {
  if (ev.hit) {
    agg.cacheHits += 1;
    agg.cacheHitBytes += ev.bytes;
  } else {
    agg.cacheMisses += 1;
    agg.cacheMissBytes += ev.bytes;
  }
  agg.cacheLatencySum += ev.latency_ms;
}

/** Folds a resource sample in. */
export function addResource(agg: Aggregate, ev: ResourceEvent): void {
  agg.resourceSamples += 1;
  agg.cpuSum += ev.cpu_util;
  agg.cpuMax = Math.max(agg.cpuMax, ev.cpu_util);
  agg.memSum += ev.memory_util;
  agg.memMax = Math.max(agg.memMax, ev.memory_util);
  agg.queuedSum += ev.queued;
  const e = (agg.executors[ev.executor] ??= { n: 0, running: 0, slots: 0 });
  e.n += 1;
  e.running += ev.running_builds;
  e.slots += ev.slots;
}

/** Folds a test result in. */
export function addTest(agg: Aggregate, ev: TestResult): void {
  if (ev.outcome === 'PASSED') agg.testsPassed += 1;
  else if (ev.outcome === 'FAILED') agg.testsFailed += 1;
  else if (ev.outcome === 'FLAKY') agg.testsFlaky += 1;
  else agg.testsSkipped += 1;
}

/** Adds `from` into `into` (counters add, maxima take the max, sketches merge). */
export function mergeInto(into: Aggregate, from: Aggregate): void {
  for (const k of COUNTER_KEYS) into[k] = MAX_KEYS.has(k) ? Math.max(into[k], from[k]) : into[k] + from[k];
  for (const [cat, n] of Object.entries(from.failureCategories)) into.failureCategories[cat] = (into.failureCategories[cat] ?? 0) + n;
  for (const [name, e] of Object.entries(from.executors)) {
    const t = (into.executors[name] ??= { n: 0, running: 0, slots: 0 });
    t.n += e.n;
    t.running += e.running;
    t.slots += e.slots;
  }
  if (from.duration && from.duration.count > 0) (into.duration ??= newSketch()).merge(from.duration);
  if (from.queueWait && from.queueWait.count > 0) (into.queueWait ??= newSketch()).merge(from.queueWait);
}

/** JSON-safe form of an aggregate (checkpoints and partial rows). */
export type SerializedAggregate = Counters & {
  failureCategories: Record<string, number>;
  executors: Record<string, ExecutorSlots>;
  duration: SerializedSketch;
  queueWait: SerializedSketch;
};

/** Serializes (sketches as sparse bin lists). */
export function serializeAggregate(agg: Aggregate): SerializedAggregate {
  return { ...agg, duration: sketchToArray(agg.duration), queueWait: sketchToArray(agg.queueWait) };
}

/** Inverse of {@link serializeAggregate}; missing counters (older state) read as 0. */
export function deserializeAggregate(s: SerializedAggregate): Aggregate {
  const agg = emptyAggregate();
  for (const k of COUNTER_KEYS) agg[k] = typeof s[k] === 'number' ? s[k] : 0;
  agg.failureCategories = { ...s.failureCategories };
  agg.executors = Object.fromEntries(Object.entries(s.executors).map(([k, v]) => [k, { ...v }]));
  agg.duration = sketchFromArray(s.duration);
  agg.queueWait = sketchFromArray(s.queueWait);
  return agg;
}
