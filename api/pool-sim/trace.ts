/**
 * Demand traces replayed by the pool simulator. One job = one build request: when it arrived, on which
 * pool, which module combination, and what it costs to build: a cold build time per module layer
 * (cacheable, keyed by the combination prefix up to that module, like Docker's layer cache) plus a
 * non-cacheable part (tests, SBOM, push). Format of the CSV form: see api/pool-sim/TRACES.md.
 */
import { findModuleVersion } from '../../ingest/index.js';

/** One cacheable layer of a job: the module item and its cold build time. */
export interface TraceLayer {
  /** Cache key: the combination prefix up to and including this item, joined with `/`. */
  key: string;
  /** Build time when not cached, ms. */
  coldMs: number;
}

/** One build request of a trace. */
export interface TraceJob {
  id: string;
  /** Arrival (queued) time, ms since epoch. */
  arrivalMs: number;
  pool: string;
  /** `module@version` items, base first. */
  combination: string[];
  /** One layer per combination item, in build order. */
  layers: TraceLayer[];
  /** Non-cacheable build time, ms. */
  fixedMs: number;
}

/** A trace: jobs sorted by arrival, and where it came from (shown in reports). */
export interface Trace {
  name: string;
  source: string;
  jobs: TraceJob[];
}

/** Layer keys of a combination: each item's key is the prefix up to it. */
export function layerKeysOf(combination: readonly string[]): string[] {
  const out: string[] = [];
  let prefix = '';
  for (const item of combination) {
    prefix = prefix === '' ? item : `${prefix}/${item}`;
    out.push(prefix);
  }
  return out;
}

/** Builds layers from per-item cold times. */
export function layersOf(combination: readonly string[], coldMs: readonly number[]): TraceLayer[] {
  const keys = layerKeysOf(combination);
  return keys.map((key, i) => ({ key, coldMs: coldMs[i] ?? 0 }));
}

/** Relative weight of an item's build time: the module catalogue's reference seconds, else 1. */
export function catalogueSeconds(item: string): number | undefined {
  const v = findModuleVersion(item);
  return v ? v.layers.reduce((s, l) => s + l.buildSeconds, 0) : undefined;
}

/**
 * Splits a total cold build time over the items (by catalogue weights where known, equally
 * otherwise) after taking `fixedShare` of it as the non-cacheable part.
 */
export function splitColdTime(
  combination: readonly string[],
  totalColdMs: number,
  fixedShare: number,
): { fixedMs: number; coldMs: number[] } {
  const fixedMs = Math.round(totalColdMs * fixedShare);
  const weights = combination.map((i) => catalogueSeconds(i) ?? 1);
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  return { fixedMs, coldMs: weights.map((w) => Math.round(((totalColdMs - fixedMs) * w) / sum)) };
}

/** Total cold build time of a job, ms. */
export function coldDurationMs(job: TraceJob): number {
  return job.fixedMs + job.layers.reduce((s, l) => s + l.coldMs, 0);
}

/** Sorts jobs by arrival (stable by id) in place and returns the trace. */
export function sortTrace(trace: Trace): Trace {
  trace.jobs.sort((a, b) => a.arrivalMs - b.arrivalMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return trace;
}
