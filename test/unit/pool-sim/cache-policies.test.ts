import { describe, expect, it } from 'vitest';
import {
  createCachePolicy,
  createWarmDemandModel,
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
});
