import { describe, expect, it } from 'vitest';
import { createEffectMeter } from '../../../api/directives/effect.js';
import { createDirectiveEngine } from '../../../api/directives/engine.js';
import type { CacheWarmPolicy, PoolSnapshot, ScalingLimits, ScalingPolicy, WarmCandidate } from '../../../api/directives/policies/types.js';
import type { PoolObservation, PoolStateSource, WindowStats } from '../../../api/directives/pool-state.js';
import type { DirectiveRecorder, EffectRecord, PendingEffect } from '../../../api/directives/recorder.js';
import { significantChange } from '../../../api/directives/significance.js';
import { silentLogger } from '../../../common/logger.js';
import { createMetrics } from '../../../common/metrics.js';
import { fakeIssuer, fakePredictor } from './fakes.js';

const LIMITS: ScalingLimits = { minSlots: 1, maxSlots: 50, queueWaitSloMs: 60_000 };

function obs(pool: string, over: Partial<PoolObservation> = {}): PoolObservation {
  return {
    pool,
    nowMs: 0,
    queued: 0,
    running: 2,
    slots: 4,
    observedArrivalsPerSec: 0.1,
    meanBuildMs: 10_000,
    observedDuration: true,
    queuedCombinations: [],
    ...over,
  };
}

/** A policy of our interface: desired = backlog + 1. */
function backlogPolicy(): ScalingPolicy {
  return {
    name: 'backlog',
    decide: (s) => ({ desiredSlots: s.queued + s.running + 1, reason: { backlog: s.queued + s.running }, reasonText: 'backlog+1' }),
  };
}

function fakeSource(state: {
  observations: PoolObservation[];
  candidates: WarmCandidate[];
  stats: Record<string, WindowStats>;
}): PoolStateSource {
  return {
    observe: (now) => Promise.resolve(state.observations.map((o) => ({ ...o, nowMs: now }))),
    warmCandidates: () => Promise.resolve(state.candidates),
    windowStats: (pool, from) => Promise.resolve(state.stats[`${pool}@${from}`] ?? { queueWaitP95Ms: null, hitRatio: null, builds: 0 }),
  };
}

const topByP: CacheWarmPolicy = {
  name: 'top',
  choose: (cs, budget) =>
    cs
      .filter((c) => !c.warm)
      .sort((a, b) => b.probability - a.probability)
      .slice(0, budget),
};

function noEffects() {
  return { measureDue: (): Promise<EffectRecord[]> => Promise.resolve([]) };
}

describe('directive engine', () => {
  it('decides per pool at start, then only after the interval or on a significant change', async () => {
    let now = 1_000_000;
    const state = { observations: [obs('a'), obs('b')], candidates: [], stats: {} };
    const issuer = fakeIssuer();
    const engine = createDirectiveEngine({
      source: fakeSource(state),
      issuer,
      effects: noEffects(),
      scalingPolicy: () => backlogPolicy(),
      warmPolicy: topByP,
      options: { intervalMs: 30_000, checkIntervalMs: 1000, warmBudget: 3, limits: () => LIMITS },
      logger: silentLogger(),
      metrics: createMetrics({ defaultMetrics: false }),
      clock: () => now,
    });
    expect((await engine.tick()).issued.map((i) => [i.directive.pool, i.directive.desired_slots])).toEqual([
      ['a', 3],
      ['b', 3],
    ]);
    now += 5000;
    expect((await engine.tick()).issued).toHaveLength(0);
    // Pool a overloads: queue jumps from 0 to 20 → decided at once, before the interval is up.
    state.observations = [obs('a', { queued: 20, observedArrivalsPerSec: 1 }), obs('b')];
    now += 1000;
    const burst = await engine.tick();
    expect(burst.issued.map((i) => [i.directive.pool, i.directive.desired_slots])).toEqual([['a', 23]]);
    expect(burst.issued[0]?.directive.reason).toMatchObject({
      queued: 20,
      interval_trigger: 0,
      previous_desired_slots: 3,
      queue_wait_slo_ms: 60_000,
    });
    now += 30_000;
    expect((await engine.tick()).issued.map((i) => i.directive.pool)).toEqual(['a', 'b']);
    expect(
      issuer.drafts.every((d) => d.kind === 'SCALING' && d.source === 'engine' && d.policy === 'backlog' && d.validForMs === 90_000),
    ).toBe(true);
  });

  it('issues cache-warming directives with the chosen combinations, not repeating an unchanged list within the interval', async () => {
    let now = 0;
    const candidates: WarmCandidate[] = [
      { combination: ['base@1', 'a@1'], probability: 0.5, savingMs: 1000, warm: false },
      { combination: ['base@1', 'b@1'], probability: 0.9, savingMs: 2000, warm: false },
      { combination: ['base@1', 'c@1'], probability: 0.99, savingMs: 5000, warm: true },
    ];
    const issuer = fakeIssuer();
    const engine = createDirectiveEngine({
      source: fakeSource({ observations: [obs('a')], candidates, stats: {} }),
      issuer,
      effects: noEffects(),
      scalingPolicy: () => backlogPolicy(),
      warmPolicy: topByP,
      options: { intervalMs: 10_000, checkIntervalMs: 1000, warmBudget: 2, limits: () => LIMITS },
      logger: silentLogger(),
      metrics: createMetrics({ defaultMetrics: false }),
      clock: () => now,
    });
    await engine.tick();
    const warm = issuer.drafts.filter((d) => d.kind === 'CACHE_WARM');
    expect(warm).toHaveLength(1);
    expect(warm[0]?.warm.map((w) => w.combination[1])).toEqual(['b@1', 'a@1']);
    expect(warm[0]?.warm[0]?.expected_saving_ms).toBeCloseTo(1800);
    expect(warm[0]?.reason).toMatchObject({ candidates: 3, already_warm: 1, chosen: 2, budget: 2 });
    now += 10_000;
    await engine.tick();
    expect(issuer.drafts.filter((d) => d.kind === 'CACHE_WARM')).toHaveLength(2);
  });

  it('uses predicted durations of queued combinations when a predictor is given', async () => {
    const seen: PoolSnapshot[] = [];
    const predictor = fakePredictor();
    const engine = createDirectiveEngine({
      source: fakeSource({ observations: [obs('a', { queuedCombinations: [['x@1', 'y@1'], ['x@1']] })], candidates: [], stats: {} }),
      issuer: fakeIssuer(),
      effects: noEffects(),
      scalingPolicy: () => ({ name: 'spy', decide: (s) => (seen.push(s), { desiredSlots: 1, reason: {}, reasonText: '' }) }),
      warmPolicy: topByP,
      predictor,
      options: { intervalMs: 10_000, checkIntervalMs: 1000, warmBudget: 0, limits: () => LIMITS },
      logger: silentLogger(),
      metrics: createMetrics({ defaultMetrics: false }),
      clock: () => 5,
    });
    const r = await engine.tick();
    expect(seen[0]?.meanBuildMs).toBe(1500);
    expect(r.issued[0]?.directive.reason).toMatchObject({ mean_build_ms: 1500, duration_predicted: 1 });
    expect(predictor.inputs.map((i) => i.combination)).toEqual([['x@1', 'y@1'], ['x@1']]);
  });
});

describe('effect meter', () => {
  it('compares the window before issue with the window after the first ack', async () => {
    const pending: PendingEffect[] = [
      { directiveId: 'd1', pool: 'a', kind: 'SCALING', issuedAt: 100_000, ackedAt: 102_000 },
      { directiveId: 'd2', pool: 'b', kind: 'CACHE_WARM', issuedAt: 100_000, ackedAt: 101_000 },
    ];
    const recorded: EffectRecord[] = [];
    let askedBefore = -1;
    const recorder: Pick<DirectiveRecorder, 'pendingEffects' | 'recordEffect' | 'unackedExpired'> = {
      pendingEffects: (before) => ((askedBefore = before), Promise.resolve(pending)),
      unackedExpired: () => Promise.resolve([{ directiveId: 'd3', pool: 'c', kind: 'SCALING', issuedAt: 1 }]),
      recordEffect: (e) => (recorded.push(e), Promise.resolve()),
    };
    const stats: Record<string, WindowStats> = {
      'a@90000': { queueWaitP95Ms: 50_000, hitRatio: 0.5, builds: 10 },
      'a@102000': { queueWaitP95Ms: 5_000, hitRatio: 0.6, builds: 12 },
    };
    const meter = createEffectMeter({
      source: fakeSource({ observations: [], candidates: [], stats }),
      recorder,
      windowMs: 10_000,
      logger: silentLogger(),
      metrics: createMetrics({ defaultMetrics: false }),
    });
    const out = await meter.measureDue(200_000);
    expect(askedBefore).toBe(190_000);
    expect(out).toEqual(recorded);
    expect(recorded[0]).toEqual({
      directiveId: 'd1',
      pool: 'a',
      kind: 'SCALING',
      status: 'measured',
      measuredAt: 200_000,
      windowMs: 10_000,
      queueWaitP95BeforeMs: 50_000,
      queueWaitP95AfterMs: 5_000,
      hitRatioBefore: 0.5,
      hitRatioAfter: 0.6,
    });
    expect(recorded[1]).toMatchObject({ directiveId: 'd2', status: 'no_data', queueWaitP95BeforeMs: null });
    expect(recorded[2]).toMatchObject({ directiveId: 'd3', pool: 'c', status: 'not_acked', windowMs: 0 });
    expect(recorded).toHaveLength(3);
  });
});

describe('significantChange', () => {
  const o = { relative: 0.5, minQueueDelta: 3, minRateDelta: 0.05, queueWaitSloMs: 1000 };
  const s = (over: Partial<PoolSnapshot>): PoolSnapshot => ({ ...obs('p'), ...over });
  it('counts large relative and absolute queue or rate changes and SLO crossings only', () => {
    expect(significantChange(undefined, s({}), o)).toBe(true);
    expect(significantChange(s({ queued: 10 }), s({ queued: 12 }), o)).toBe(false);
    expect(significantChange(s({ queued: 10 }), s({ queued: 16 }), o)).toBe(true);
    expect(significantChange(s({ queued: 0 }), s({ queued: 2 }), o)).toBe(false);
    expect(significantChange(s({ observedArrivalsPerSec: 0.1 }), s({ observedArrivalsPerSec: 0.2 }), o)).toBe(true);
    expect(significantChange(s({ observedArrivalsPerSec: 0.01 }), s({ observedArrivalsPerSec: 0.03 }), o)).toBe(false);
    expect(significantChange(s({ queueWaitP95Ms: 900 }), s({ queueWaitP95Ms: 1100 }), o)).toBe(true);
    expect(significantChange(s({ queueWaitP95Ms: 1200 }), s({ queueWaitP95Ms: 5000 }), o)).toBe(false);
  });
});
