/**
 * The acceptance comparison, printed in one run per trace:
 * - scaling: `reactive` (KEDA/HPA defaults) vs `scheduled` (profile of the trace) vs `predictive`
 *   (defaults) and the best `predictive` setting of a small grid whose cost is ≤ reactive's
 *   ("at equal or lower executor-hours"); all with the `lru` cache;
 * - cache: `lru` vs `predictive-warm` vs `belady` (offline bound), all under `reactive` scaling;
 * - and both of ours together (`predictive` + `predictive-warm`) for reference.
 */
import type { PoolSimConfig } from './sim-config.js';
import { simulatePool, type PoolSimResult } from './simulator.js';
import { hourlyProfile, runCandidate, type SweepCandidate } from './sweep.js';
import { coldDurationMs, type Trace } from './trace.js';
import { createCachePolicy, createScalingPolicy, hourlySlotsFromProfile } from '../directives/policies/index.js';

/** One line of the comparison. */
export interface CompareRow {
  label: string;
  executorHours: number;
  p50WaitMs: number;
  p95WaitMs: number;
  p99WaitMs: number;
  utilisation: number;
  cacheHitRatio: number;
  executorStarts: number;
}

/** The comparison on one trace. */
export interface TraceComparison {
  trace: string;
  source: string;
  jobs: number;
  scaling: CompareRow[];
  cache: CompareRow[];
  /** Both of ours together (predictive scaling + predictive-warm cache), vs today's reactive + lru. */
  combined: CompareRow;
  /** (reactive p95 − predictive p95) / reactive p95, for the default and the cost-matched predictive. */
  p95ReductionDefault: number;
  p95ReductionCostMatched: number | null;
  costRatioDefault: number;
  costRatioCostMatched: number | null;
  /** predictive-warm hit ratio / belady's, and / lru's. */
  hitVsBelady: number;
  hitVsLru: number;
  scalingTargetMet: boolean;
  cacheTargetMet: boolean;
}

const row = (label: string, r: PoolSimResult): CompareRow => ({
  label,
  executorHours: r.executorHours,
  p50WaitMs: r.wait.p50,
  p95WaitMs: r.wait.p95,
  p99WaitMs: r.wait.p99,
  utilisation: r.utilisation,
  cacheHitRatio: r.cacheHitRatio,
  executorStarts: r.executorStarts,
});

/** Predictive settings tried for the cost-matched comparison. */
export const COST_MATCH_GRID: readonly SweepCandidate[] = [
  { label: 'predictive slo=120s q=0.9', scaling: 'predictive', options: { sloMs: 120_000, quantile: 0.9 } },
  { label: 'predictive slo=300s q=0.9', scaling: 'predictive', options: { sloMs: 300_000, quantile: 0.9 } },
  { label: 'predictive slo=300s q=0.8', scaling: 'predictive', options: { sloMs: 300_000, quantile: 0.8 } },
  { label: 'predictive slo=600s q=0.8', scaling: 'predictive', options: { sloMs: 600_000, quantile: 0.8 } },
];

/** Runs the comparison on one trace. */
export function compareOnTrace(
  trace: Trace,
  config: Partial<PoolSimConfig>,
  progress: (m: string) => void = () => undefined,
): TraceComparison {
  const run = (scaling: string, cache: string, options: Record<string, unknown> = {}): PoolSimResult => {
    progress(`${trace.name}: ${scaling} + ${cache}`);
    return simulatePool({ trace, scaling: () => createScalingPolicy(scaling, options), cache: () => createCachePolicy(cache), config });
  };
  const reactive = run('reactive', 'lru');
  const meanMs = trace.jobs.reduce((s, j) => s + coldDurationMs(j), 0) / Math.max(1, trace.jobs.length);
  const hourlySlots = hourlySlotsFromProfile({ hourlyArrivalsPerSec: hourlyProfile(trace), meanBuildMs: meanMs, targetUtilisation: 0.7 });
  const scheduled = run('scheduled', 'lru', { hourlySlots });
  const predictive = run('predictive', 'lru');
  const grid = COST_MATCH_GRID.map((c) => {
    progress(`${trace.name}: ${c.label} + lru`);
    return { c, r: runCandidate(trace, c, 'lru', config) };
  });
  const matched = grid.filter((g) => g.r.executorHours <= reactive.executorHours).sort((a, b) => a.r.wait.p95 - b.r.wait.p95)[0];
  const lru = reactive;
  const warm = run('reactive', 'predictive-warm');
  const belady = run('reactive', 'belady');
  const ours = run('predictive', 'predictive-warm');
  const red = (r: PoolSimResult): number => (reactive.wait.p95 === 0 ? 0 : (reactive.wait.p95 - r.wait.p95) / reactive.wait.p95);
  const hitVsBelady = belady.cacheHitRatio === 0 ? 0 : warm.cacheHitRatio / belady.cacheHitRatio;
  const hitVsLru = lru.cacheHitRatio === 0 ? 0 : warm.cacheHitRatio / lru.cacheHitRatio;
  const best = matched ? red(matched.r) : null;
  return {
    trace: trace.name,
    source: trace.source,
    jobs: trace.jobs.length,
    scaling: [
      row('reactive (KEDA/HPA defaults)', reactive),
      row('scheduled (trace profile, 70% util.)', scheduled),
      row('predictive (defaults)', predictive),
      ...grid.map((g) => row(g.c.label, g.r)),
    ],
    cache: [row('lru', lru), row('predictive-warm', warm), row('belady (offline)', belady)],
    combined: row('predictive + predictive-warm', ours),
    p95ReductionDefault: red(predictive),
    p95ReductionCostMatched: best,
    costRatioDefault: predictive.executorHours / reactive.executorHours,
    costRatioCostMatched: matched ? matched.r.executorHours / reactive.executorHours : null,
    hitVsBelady,
    hitVsLru,
    scalingTargetMet: (red(predictive) >= 0.3 && predictive.executorHours <= reactive.executorHours) || (best !== null && best >= 0.3),
    cacheTargetMet: hitVsBelady >= 0.9 && warm.cacheHitRatio > lru.cacheHitRatio,
  };
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

/** Human-readable report of comparisons. */
export function formatComparison(cs: readonly TraceComparison[]): string {
  const lines: string[] = [];
  for (const c of cs) {
    lines.push(`== ${c.trace} (${c.jobs} jobs) — ${c.source}`);
    const table = (rows: CompareRow[]): void => {
      lines.push('  policy                                 exec-h   p50 s   p95 s   p99 s  util  hit    starts');
      for (const r of rows) {
        lines.push(
          `  ${r.label.padEnd(38)} ${r.executorHours.toFixed(0).padStart(6)} ${(r.p50WaitMs / 1000).toFixed(1).padStart(7)} ${(r.p95WaitMs / 1000).toFixed(1).padStart(7)} ${(r.p99WaitMs / 1000).toFixed(1).padStart(7)}  ${r.utilisation.toFixed(2)}  ${r.cacheHitRatio.toFixed(3)}  ${r.executorStarts}`,
        );
      }
    };
    lines.push(' scaling (cache lru):');
    table(c.scaling);
    lines.push(' cache (scaling reactive):');
    table(c.cache);
    lines.push(' ours together (vs reactive + lru above):');
    table([c.combined]);
    lines.push(
      ` predictive vs reactive p95: default ${pct(c.p95ReductionDefault)} lower at ${pct(c.costRatioDefault)} of the executor-hours; best with cost ≤ reactive: ${pct(c.p95ReductionCostMatched)} lower at ${pct(c.costRatioCostMatched)} → target (≥30% at ≤ cost) ${c.scalingTargetMet ? 'MET' : 'NOT MET'}`,
    );
    lines.push(
      ` predictive-warm hit ratio = ${pct(c.hitVsBelady)} of belady, ${c.hitVsLru.toFixed(2)}× lru → target (≥90% of belady, > lru) ${c.cacheTargetMet ? 'MET' : 'NOT MET'}`,
    );
    lines.push('');
  }
  return lines.join('\n');
}
