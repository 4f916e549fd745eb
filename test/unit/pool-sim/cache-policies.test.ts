import { describe, expect, it } from 'vitest';
import {
  createCachePolicy,
  createWarmDemandModel,
  expectedSavingMs,
  warmCopyUseProbability,
  type ResidentLayer,
  type WarmCandidate,
} from '../../../api/directives/policies/index.js';

const resident: ResidentLayer[] = [
  { key: 'b/x', lastUsedMs: 50, insertedMs: 10 },
  { key: 'b', lastUsedMs: 10, insertedMs: 5 },
  { key: 'b/y', lastUsedMs: 90, insertedMs: 20 },
];
const cand = (name: string, probability: number, savingMs: number, warm = false, nextArrivalMs?: number): WarmCandidate => ({
  combination: ['base', name],
  probability,
  savingMs,
  warm,
  nextArrivalMs,
});

describe('cache policies', () => {
  it('lru never warms and evicts the least recently used', () => {
    const p = createCachePolicy('lru');
    expect(p.choose([cand('a', 1, 1000)], 5)).toEqual([]);
    expect(p.evict?.(resident, { nowMs: 100 })).toBe('b');
  });

  it('predictive-warm picks the highest P×saving not yet warm, within budget', () => {
    const p = createCachePolicy('predictive-warm');
    const chosen = p.choose(
      [cand('a', 0.9, 100), cand('b', 0.5, 1000), cand('c', 0.99, 5000, true), cand('d', 0.2, 1000), cand('e', 0.01, 1e6)],
      2,
    );
    expect(chosen.map((c) => c.combination[1])).toEqual(['b', 'd']);
  });

  it('belady warms the soonest future builds and evicts the furthest next use', () => {
    const p = createCachePolicy('belady');
    expect(p.offline).toBe(true);
    const chosen = p.choose([cand('a', 1, 100, false, 500), cand('b', 1, 100, false, 200), cand('c', 0, 100, false)], 5);
    expect(chosen.map((c) => c.combination[1])).toEqual(['b', 'a']);
    const next: Record<string, number> = { b: 120, 'b/x': Infinity, 'b/y': 300 };
    expect(p.evict?.(resident, { nowMs: 100, nextUseMs: (k) => next[k] ?? Infinity })).toBe('b/x');
  });

  it('demand model: frequent and recent combinations are more probable', () => {
    const m = createWarmDemandModel({ halfLifeMs: 3_600_000 });
    for (let i = 0; i < 20; i++) m.observe(['base', 'hot'], i * 60_000);
    m.observe(['base', 'cold'], 0);
    const cands = m.candidates({ nowMs: 20 * 60_000, horizonMs: 600_000, isWarm: (c) => c[1] === 'cold', savingMs: () => 1000 });
    const hot = cands.find((c) => c.combination[1] === 'hot');
    const cold = cands.find((c) => c.combination[1] === 'cold');
    expect(hot?.probability).toBeGreaterThan(cold?.probability ?? 1);
    expect(hot?.probability).toBeLessThanOrEqual(1);
    expect(cold?.warm).toBe(true);
  });

  it('predictive-warm ranks by share of the upcoming builds when given (probability saturates at 1)', () => {
    const p = createCachePolicy('predictive-warm');
    const rare = { ...cand('rare', 1, 1000), share: 0.05 };
    const common = { ...cand('common', 1, 500), share: 0.5 };
    expect(expectedSavingMs(rare)).toBe(50);
    expect(p.choose([rare, common], 1).map((c) => c.combination[1])).toEqual(['common']);
    // Without shares the saturated probabilities leave only the saving: the rare, heavier one wins.
    expect(p.choose([cand('rare', 1, 1000), cand('common', 1, 500)], 1).map((c) => c.combination[1])).toEqual(['rare']);
  });

  it('demand model: shares are the rates normalised over the known combinations', () => {
    const m = createWarmDemandModel();
    for (let i = 0; i < 3; i++) m.observe(['base', 'hot'], 1000);
    m.observe(['base', 'cold'], 1000);
    const cands = m.candidates({ nowMs: 1000, horizonMs: 600_000, isWarm: () => false, savingMs: () => 1 });
    expect(cands.find((c) => c.combination[1] === 'hot')?.share).toBeCloseTo(0.75, 12);
    expect(cands.find((c) => c.combination[1] === 'cold')?.share).toBeCloseTo(0.25, 12);
  });

  it('warm copy use probability: Poisson tail beyond the covered copies, queued jobs certain', () => {
    const q = { share: 0.3, covered: 0, queuedOfCombination: 0, queuedTotal: 0, freeExecutors: 1 };
    expect(warmCopyUseProbability(q)).toBeCloseTo(1 - Math.exp(-0.3), 12);
    // 4 free executors, share 0.5 → mean 2 builds of it; one copy already: P(X > 1) = 1 − 3e^(−2).
    expect(warmCopyUseProbability({ ...q, share: 0.5, covered: 1, freeExecutors: 4 })).toBeCloseTo(1 - 3 * Math.exp(-2), 12);
    // Two of it queued, one copy warm: the second copy is certainly used.
    expect(warmCopyUseProbability({ ...q, covered: 1, queuedOfCombination: 2, queuedTotal: 2, freeExecutors: 3 })).toBe(1);
    // Queue longer than the free executors: only queued jobs count, and two copies cover its two jobs.
    expect(warmCopyUseProbability({ ...q, covered: 2, queuedOfCombination: 2, queuedTotal: 5, freeExecutors: 3 })).toBe(0);
  });
});
