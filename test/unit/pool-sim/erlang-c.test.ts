import { describe, expect, it } from 'vitest';
import {
  erlangB,
  erlangC,
  meanWaitMs,
  minServersForSlo,
  waitExceedsProbability,
  waitQuantileMs,
} from '../../../api/directives/policies/index.js';

// Reference values from the direct summation formula C = (a^c/c!·c/(c−a)) / (Σ_{k<c} a^k/k! + a^c/c!·c/(c−a)).
const KNOWN: [number, number, number][] = [
  [2, 1, 1 / 3],
  [10, 8, 0.4091801507964435],
  [25, 20, 0.20910282659883664],
  [5, 4.5, 0.7624932207329356],
  [100, 90, 0.21694048090636636],
];

describe('erlang-c', () => {
  it.each(KNOWN)('C(%i, %d) matches the closed form', (c, a, expected) => {
    expect(erlangC(c, a)).toBeCloseTo(expected, 10);
  });

  it('Erlang B of one server is a/(1+a) and unstable queues always wait', () => {
    expect(erlangB(1, 3)).toBeCloseTo(0.75, 12);
    expect(erlangC(4, 4)).toBe(1);
    expect(erlangC(4, 0)).toBe(0);
    expect(() => erlangB(-1, 1)).toThrow(RangeError);
  });

  it('M/M/1 mean wait is ρ/(μ−λ)', () => {
    // λ = 0.5/s, S = 1 s: ρ = 0.5, Wq = 0.5 / (1 − 0.5) s = 1 s
    expect(meanWaitMs({ servers: 1, arrivalsPerSec: 0.5, meanServiceMs: 1000 })).toBeCloseTo(1000, 6);
    expect(meanWaitMs({ servers: 1, arrivalsPerSec: 2, meanServiceMs: 1000 })).toBe(Infinity);
  });

  it('wait tail and quantile are consistent', () => {
    const p = { servers: 10, arrivalsPerSec: 0.8, meanServiceMs: 10_000 };
    const q95 = waitQuantileMs(p, 0.95);
    expect(q95).toBeGreaterThan(0);
    expect(waitExceedsProbability(p, q95)).toBeCloseTo(0.05, 10);
    expect(waitQuantileMs({ servers: 30, arrivalsPerSec: 0.8, meanServiceMs: 10_000 }, 0.95)).toBe(0);
  });

  it('minServersForSlo returns the smallest c meeting the SLO', () => {
    const s = { arrivalsPerSec: 0.8, meanServiceMs: 10_000, sloMs: 2_000, quantile: 0.95, maxServers: 100 };
    const c = minServersForSlo(s);
    const tail = (n: number): number => waitExceedsProbability({ servers: n, arrivalsPerSec: 0.8, meanServiceMs: 10_000 }, 2_000);
    expect(tail(c)).toBeLessThanOrEqual(0.05);
    expect(tail(c - 1)).toBeGreaterThan(0.05);
    expect(minServersForSlo({ ...s, arrivalsPerSec: 0 })).toBe(0);
    expect(minServersForSlo({ ...s, maxServers: 5 })).toBe(5);
  });
});
