/**
 * The future of a trace, for offline policies only (belady): when each layer and each combination is
 * next needed after a given time. Built once per pool from the whole trace.
 */
import type { TraceJob, TraceLayer } from './trace.js';

/** Next-use lookups over one pool's jobs. */
export interface TraceOracle {
  /** Next time after `nowMs` a build needs layer `key`, or Infinity. */
  nextLayerUse(key: string, nowMs: number): number;
  /** Next time after `nowMs` the combination (key `a/b/c`) is built, or Infinity. */
  nextCombinationUse(comboKey: string, nowMs: number): number;
  /** Time of the (n+1)-th build of the combination after `nowMs` (n = 0: the next one), or Infinity. */
  nthCombinationUse(comboKey: string, nowMs: number, n: number): number;
  /** Every combination of the pool with its layers. */
  combinations(): ReadonlyMap<string, { combination: string[]; layers: TraceLayer[] }>;
}

function firstAfter(times: readonly number[] | undefined, nowMs: number, n = 0): number {
  if (!times || times.length === 0) return Infinity;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] ?? Infinity) <= nowMs) lo = mid + 1;
    else hi = mid;
  }
  return times[lo + n] ?? Infinity;
}

/** Indexes the jobs (sorted by arrival) of one pool. */
export function createTraceOracle(jobs: readonly TraceJob[]): TraceOracle {
  const layerTimes = new Map<string, number[]>();
  const comboTimes = new Map<string, number[]>();
  const combos = new Map<string, { combination: string[]; layers: TraceLayer[] }>();
  for (const j of jobs) {
    for (const l of j.layers) {
      const a = layerTimes.get(l.key);
      if (a) a.push(j.arrivalMs);
      else layerTimes.set(l.key, [j.arrivalMs]);
    }
    const k = j.combination.join('/');
    const c = comboTimes.get(k);
    if (c) c.push(j.arrivalMs);
    else comboTimes.set(k, [j.arrivalMs]);
    if (!combos.has(k)) combos.set(k, { combination: j.combination, layers: j.layers });
  }
  return {
    nextLayerUse: (key, nowMs) => firstAfter(layerTimes.get(key), nowMs),
    nextCombinationUse: (key, nowMs) => firstAfter(comboTimes.get(key), nowMs),
    nthCombinationUse: (key, nowMs, n) => firstAfter(comboTimes.get(key), nowMs, n),
    combinations: () => combos,
  };
}
