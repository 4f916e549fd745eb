/**
 * What-if sweep: runs the simulator over pool sizes and policy parameters and keeps the Pareto set of
 * (cost, p95 queue wait) — the runs no other run beats on both — so an operator can pick a trade-off.
 */
import { createCachePolicy, createScalingPolicy, hourlySlotsFromProfile } from '../directives/policies/index.js';
import { simConfig, type PoolSimConfig } from './sim-config.js';
import { simulatePool, type PoolSimResult } from './simulator.js';
import { coldDurationMs, type Trace } from './trace.js';

/** One configuration to try. */
export interface SweepCandidate {
  label: string;
  scaling: string;
  options: Record<string, unknown>;
}

/** One run's outcome. */
export interface SweepPoint {
  label: string;
  scaling: string;
  options: Record<string, unknown>;
  cost: number;
  executorHours: number;
  p50WaitMs: number;
  p95WaitMs: number;
  p99WaitMs: number;
  utilisation: number;
  cacheHitRatio: number;
}

const HOUR = 3_600_000;

/** Mean arrivals per second of each UTC hour over the trace, per pool (the input of a scheduled policy). */
export function hourlyProfile(trace: Trace): number[] {
  const counts = new Array<number>(24).fill(0);
  const pools = new Set(trace.jobs.map((j) => j.pool)).size || 1;
  const first = trace.jobs[0]?.arrivalMs ?? 0;
  const last = trace.jobs[trace.jobs.length - 1]?.arrivalMs ?? first;
  const days = Math.max(1, Math.round((last - first) / (24 * HOUR)));
  for (const j of trace.jobs) counts[Math.floor(j.arrivalMs / HOUR) % 24] = (counts[Math.floor(j.arrivalMs / HOUR) % 24] ?? 0) + 1;
  return counts.map((n) => n / pools / days / 3600);
}

/** The default grid: fixed pool sizes around the offered load, and parameters of each policy. */
export function defaultSweepGrid(
  trace: Trace,
  policies: readonly string[] = ['fixed', 'reactive', 'scheduled', 'predictive'],
): SweepCandidate[] {
  const profile = hourlyProfile(trace);
  const meanMs = trace.jobs.reduce((s, j) => s + coldDurationMs(j), 0) / Math.max(1, trace.jobs.length);
  const peakLoad = (Math.max(...profile) * meanMs) / 1000;
  const out: SweepCandidate[] = [];
  if (policies.includes('fixed')) {
    for (let f = 0.5; f <= 1.6; f += 0.15) {
      const slots = Math.max(1, Math.round(peakLoad * f));
      if (!out.some((c) => c.options.slots === slots)) out.push({ label: `fixed slots=${slots}`, scaling: 'fixed', options: { slots } });
    }
  }
  if (policies.includes('reactive')) {
    for (const target of [1, 2]) {
      for (const w of [60_000, 300_000, 600_000])
        out.push({
          label: `reactive target=${target} down-window=${w / 1000}s`,
          scaling: 'reactive',
          options: { target, scaleDownStabilizationMs: w },
        });
    }
  }
  if (policies.includes('scheduled')) {
    for (const rho of [0.5, 0.65, 0.8]) {
      const hourlySlots = hourlySlotsFromProfile({ hourlyArrivalsPerSec: profile, meanBuildMs: meanMs, targetUtilisation: rho });
      out.push({ label: `scheduled utilisation=${rho}`, scaling: 'scheduled', options: { hourlySlots } });
    }
  }
  if (policies.includes('predictive')) {
    for (const sloS of [60, 180, 300]) {
      for (const quantile of [0.8, 0.9, 0.95])
        out.push({ label: `predictive slo=${sloS}s q=${quantile}`, scaling: 'predictive', options: { quantile, sloMs: sloS * 1000 } });
    }
    // Error-budget sizing: what one job waiting beyond the SLO is worth, in slot-seconds.
    for (const lateJobCost of [1800, 3600, 7200, 14_400])
      out.push({ label: `predictive late-job-cost=${lateJobCost}s`, scaling: 'predictive', options: { lateJobCost } });
  }
  return out;
}

/** Runs one candidate (`options.sloMs` sets the pool's SLO; the rest goes to the policy). */
export function runCandidate(trace: Trace, c: SweepCandidate, cache: string, config: Partial<PoolSimConfig>): PoolSimResult {
  const { sloMs, ...options } = c.options;
  const base = simConfig(config).limits;
  const limits = typeof sloMs === 'number' ? { ...base, queueWaitSloMs: sloMs } : base;
  return simulatePool({
    trace,
    scaling: () => createScalingPolicy(c.scaling, options),
    cache: () => createCachePolicy(cache),
    config: { ...config, limits },
  });
}

/** Converts a run into a sweep point. */
export function toPoint(c: SweepCandidate, r: PoolSimResult): SweepPoint {
  return {
    label: c.label,
    scaling: c.scaling,
    options: c.options,
    cost: r.cost,
    executorHours: r.executorHours,
    p50WaitMs: r.wait.p50,
    p95WaitMs: r.wait.p95,
    p99WaitMs: r.wait.p99,
    utilisation: r.utilisation,
    cacheHitRatio: r.cacheHitRatio,
  };
}

/** Runs every candidate, reporting progress. */
export function runSweep(
  trace: Trace,
  grid: readonly SweepCandidate[],
  cache: string,
  config: Partial<PoolSimConfig>,
  progress: (msg: string) => void = () => undefined,
): SweepPoint[] {
  return grid.map((c, i) => {
    progress(`sweep ${i + 1}/${grid.length}: ${c.label}`);
    return toPoint(c, runCandidate(trace, c, cache, config));
  });
}

/** The Pareto set on (cost, p95 wait), sorted by cost: points no other point beats on both. */
export function paretoFront(points: readonly SweepPoint[]): SweepPoint[] {
  const front = points.filter(
    (p) => !points.some((q) => q !== p && q.cost <= p.cost && q.p95WaitMs <= p.p95WaitMs && (q.cost < p.cost || q.p95WaitMs < p.p95WaitMs)),
  );
  return front.sort((a, b) => a.cost - b.cost || a.p95WaitMs - b.p95WaitMs);
}
