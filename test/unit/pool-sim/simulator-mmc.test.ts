import { describe, expect, it } from 'vitest';
import { createCachePolicy, createScalingPolicy, meanWaitMs, erlangC } from '../../../api/directives/policies/index.js';
import { simulatePool } from '../../../api/pool-sim/simulator.js';
import type { Trace } from '../../../api/pool-sim/trace.js';
import { createRng } from '../../../ingest/index.js';

/** Poisson arrivals (rate λ/s), exponential service (mean S ms), no cacheable layers. */
function mmcTrace(seed: number, jobs: number, lambdaPerSec: number, meanServiceMs: number): Trace {
  const rng = createRng(seed);
  let t = 0;
  return {
    name: 'mmc',
    source: 'test',
    jobs: Array.from({ length: jobs }, (_, i) => {
      t += rng.exponential(1000 / lambdaPerSec);
      return { id: `j${i}`, arrivalMs: t, pool: 'p', combination: [], layers: [], fixedMs: rng.exponential(meanServiceMs) };
    }),
  };
}

function runFixed(trace: Trace, c: number) {
  return simulatePool({
    trace,
    scaling: () => createScalingPolicy('fixed', { slots: c }),
    cache: () => createCachePolicy('lru'),
    config: {
      limits: { minSlots: c, maxSlots: c, queueWaitSloMs: 60_000 },
      initialSlots: c,
      warmBudget: 0,
      decisionIntervalMs: 600_000,
      warmIntervalMs: 3_600_000,
    },
  });
}

describe('pool simulator vs closed-form M/M/c', () => {
  it.each([
    [1, 0.5], // M/M/1, ρ = 0.5
    [4, 0.8], // M/M/4, ρ = 0.8
    [10, 0.85], // M/M/10, ρ = 0.85
  ])('c=%i ρ=%d: mean wait and P(wait) match Erlang-C within tolerance', (c, rho) => {
    const meanServiceMs = 10_000;
    const lambda = (rho * c * 1000) / meanServiceMs;
    const jobs = c === 1 ? 40_000 : 80_000; // M/M/1 at ρ = 0.5 converges fast
    const r = runFixed(mmcTrace(7 + c, jobs, lambda, meanServiceMs), c);
    const expected = meanWaitMs({ servers: c, arrivalsPerSec: lambda, meanServiceMs });
    expect(r.jobs).toBe(jobs);
    expect(Math.abs(r.wait.mean - expected) / expected).toBeLessThan(0.1);
    // Share of jobs that waited at all ≈ C(c, a): checked through the median (0 iff C < 0.5).
    expect(r.wait.p50 === 0).toBe(erlangC(c, rho * c) < 0.5);
    expect(r.utilisation).toBeGreaterThan(rho - 0.02);
    expect(r.utilisation).toBeLessThan(rho + 0.02);
  });

  it('is deterministic for a trace', () => {
    const t = mmcTrace(3, 5_000, 0.3, 10_000);
    expect(runFixed(t, 4)).toEqual(runFixed(t, 4));
  });
});
