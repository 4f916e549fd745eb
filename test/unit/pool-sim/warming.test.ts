import { describe, expect, it } from 'vitest';
import { createCachePolicy, createWarmDemandModel, type CacheWarmPolicy } from '../../../api/directives/policies/index.js';
import { createLayerCache } from '../../../api/pool-sim/layer-cache.js';
import { createTraceOracle } from '../../../api/pool-sim/oracle.js';
import { simConfig } from '../../../api/pool-sim/sim-config.js';
import type { Exec } from '../../../api/pool-sim/simulator.js';
import { layersOf, type TraceJob } from '../../../api/pool-sim/trace.js';
import { planWarming, type WarmingRound } from '../../../api/pool-sim/warming.js';

const job = (id: string, arrivalMs: number, combination: string[], coldMs: number[]): TraceJob => ({
  id,
  arrivalMs,
  pool: 'p',
  combination,
  layers: layersOf(combination, coldMs),
  fixedMs: 0,
});
const A = ['a@1', 'x@1'];
const B = ['b@1', 'y@1'];
const NEW = ['n@1', 'z@1'];

function exec(id: number, policy: CacheWarmPolicy, resident: readonly string[] = []): Exec {
  const cache = createLayerCache({ capacity: 16, policy });
  for (const k of resident) cache.insert(k, 0, new Set());
  return { id, state: 'idle', createdMs: 0, cache, warmingUntil: 0, removed: false };
}

/** A round at t = 1000 s after A was requested 3 times and B twice (shares 0.6 / 0.4), same layer times. */
function round(policy: CacheWarmPolicy, over: Partial<WarmingRound> & { future?: TraceJob[] } = {}): WarmingRound {
  const now = 1_000_000;
  const past = [job('a1', 0, A, [1000, 3000]), job('a2', 0, A, [1000, 3000]), job('a3', 0, A, [1000, 3000])];
  past.push(job('b1', 0, B, [1000, 3000]), job('b2', 0, B, [1000, 3000]));
  const demand = createWarmDemandModel();
  for (const j of past) demand.observe(j.combination, j.arrivalMs);
  const seen = new Map(past.map((j) => [j.combination.join('/'), { combination: j.combination, layers: j.layers }]));
  const target = exec(1, policy);
  return {
    targets: [target],
    free: [target],
    nowMs: now,
    policy,
    demand,
    oracle: createTraceOracle([...past, ...(over.future ?? [])]),
    seen,
    queued: [],
    cfg: simConfig({ warmBudget: 1, warmPullRatio: 0.1 }),
    ...over,
  };
}

describe('warming rounds', () => {
  it('pulls layers one after another, each usable when its own pull ends (10 % of its cold time)', () => {
    const plans = planWarming(round(createCachePolicy('predictive-warm')));
    expect(plans).toHaveLength(1);
    expect(plans[0]?.pulls).toEqual([
      { key: 'a@1', doneMs: 1_000_100 },
      { key: 'a@1/x@1', doneMs: 1_000_400 },
    ]);
    expect(plans[0]?.doneMs).toBe(1_000_400);
  });

  it('warms a queued job first, even one the demand model has never seen (online and offline alike)', () => {
    const queued = [job('q1', 999_000, NEW, [500, 500])];
    for (const name of ['predictive-warm', 'belady']) {
      const plans = planWarming(round(createCachePolicy(name), { queued }));
      expect(
        plans[0]?.pulls.map((p) => p.key),
        name,
      ).toEqual(['n@1', 'n@1/z@1']);
    }
  });

  it('values one more warm copy only for the builds beyond the free executors already warm with it', () => {
    // Another free executor holds A: for the target, A's second copy is worth P(Poisson(2·0.6) > 1) = 0.337,
    // B's first copy 1 − e^(−0.8) = 0.551 → B. Alone, A (1 − e^(−0.6)) would beat B (1 − e^(−0.4)).
    const pw = createCachePolicy('predictive-warm');
    const alone = round(pw);
    expect(planWarming(alone)[0]?.pulls[0]?.key).toBe('a@1');
    const other = exec(2, pw, ['a@1', 'a@1/x@1']);
    const shared = round(pw);
    shared.free = [...shared.targets, other];
    expect(planWarming(shared)[0]?.pulls[0]?.key).toBe('b@1');
  });

  it('belady warms for the (k+1)-th next build when k free executors already hold a combination', () => {
    const future = [job('a4', 1_010_000, A, [1000, 3000]), job('b3', 1_020_000, B, [1000, 3000])];
    const belady = createCachePolicy('belady');
    expect(planWarming(round(belady, { future }))[0]?.pulls[0]?.key).toBe('a@1');
    const r = round(belady, { future });
    r.free = [...r.targets, exec(2, belady, ['a@1', 'a@1/x@1'])];
    // A is built once more only, and the other executor will take it: warm B.
    expect(planWarming(r)[0]?.pulls[0]?.key).toBe('b@1');
  });

  it('lru never plans a pull', () => {
    expect(planWarming(round(createCachePolicy('lru'), { queued: [job('q1', 999_000, NEW, [500, 500])] }))).toEqual([]);
  });
});

describe('trace oracle', () => {
  it('finds the n-th next build of a combination', () => {
    const o = createTraceOracle([job('1', 10, A, [1, 1]), job('2', 20, A, [1, 1]), job('3', 30, A, [1, 1])]);
    const k = A.join('/');
    expect(o.nthCombinationUse(k, 15, 0)).toBe(20);
    expect(o.nthCombinationUse(k, 15, 1)).toBe(30);
    expect(o.nthCombinationUse(k, 15, 2)).toBe(Infinity);
    expect(o.nextCombinationUse(k, 30)).toBe(Infinity);
  });
});
