import { describe, expect, it } from 'vitest';
import { InputError } from '../../../common/errors.js';
import {
  createArrivalForecaster,
  createScalingPolicy,
  hourlySlotsFromProfile,
  minServersForSlo,
  type PoolSnapshot,
} from '../../../api/directives/policies/index.js';

const limits = { minSlots: 0, maxSlots: 50, queueWaitSloMs: 60_000 };
const snap = (over: Partial<PoolSnapshot>): PoolSnapshot => ({
  pool: 'p',
  nowMs: 0,
  queued: 0,
  running: 0,
  slots: 0,
  observedArrivalsPerSec: 0,
  meanBuildMs: 60_000,
  ...over,
});

describe('reactive (KEDA/HPA defaults)', () => {
  it('wants ceil((queued+running)/target), polls every 30 s, limits scale-up to max(2x, +4)', () => {
    const p = createScalingPolicy('reactive', { target: 2 });
    expect(p.decide(snap({ queued: 5, running: 2, slots: 2 }), limits).desiredSlots).toBe(4); // ceil(7/2)=4
    // Within the polling interval the last decision holds even if the queue explodes.
    expect(p.decide(snap({ nowMs: 10_000, queued: 40, running: 4, slots: 4 }), limits).desiredSlots).toBe(4);
    // Next poll: raw 22, capped at max(4*2, 4+4) = 8.
    expect(p.decide(snap({ nowMs: 30_000, queued: 40, running: 4, slots: 4 }), limits).desiredSlots).toBe(8);
  });

  it('keeps the highest recommendation of the 300 s scale-down window', () => {
    const p = createScalingPolicy('reactive');
    expect(p.decide(snap({ nowMs: 0, running: 10, slots: 10 }), limits).desiredSlots).toBe(10);
    expect(p.decide(snap({ nowMs: 30_000, running: 3, slots: 10 }), limits).desiredSlots).toBe(10);
    expect(p.decide(snap({ nowMs: 299_000, running: 3, slots: 10 }), limits).desiredSlots).toBe(10);
    expect(p.decide(snap({ nowMs: 330_000, running: 3, slots: 10 }), limits).desiredSlots).toBe(3);
  });

  it('respects min/max', () => {
    const p = createScalingPolicy('reactive');
    expect(p.decide(snap({ queued: 500, slots: 40 }), limits).desiredSlots).toBe(50);
    const q = createScalingPolicy('reactive');
    expect(q.decide(snap({ slots: 0 }), { ...limits, minSlots: 2 }).desiredSlots).toBe(2);
  });
});

describe('scheduled', () => {
  it('follows the hourly table, switching leadMs early', () => {
    const hourlySlots = Array.from({ length: 24 }, (_, h) => h);
    const p = createScalingPolicy('scheduled', { hourlySlots, leadMs: 600_000 });
    expect(p.decide(snap({ nowMs: 5 * 3_600_000 }), limits).desiredSlots).toBe(5);
    expect(p.decide(snap({ nowMs: 6 * 3_600_000 - 300_000 }), limits).desiredSlots).toBe(6);
    expect(() => createScalingPolicy('scheduled', { hourlySlots: [1, 2] })).toThrow(RangeError);
  });

  it('derives slots from a demand profile', () => {
    const slots = hourlySlotsFromProfile({
      hourlyArrivalsPerSec: new Array<number>(24).fill(0.01),
      meanBuildMs: 100_000,
      targetUtilisation: 0.5,
    });
    expect(slots[0]).toBe(2);
  });
});

describe('predictive', () => {
  it('sizes the pool with Erlang-C for the forecast and never below the backlog', () => {
    const p = createScalingPolicy('predictive', { costWeight: Infinity, quantile: 0.95 });
    const d = p.decide(snap({ observedArrivalsPerSec: 0.1, meanBuildMs: 60_000 }), limits);
    expect(d.desiredSlots).toBe(
      minServersForSlo({ arrivalsPerSec: 0.1, meanServiceMs: 60_000, sloMs: 60_000, quantile: 0.95, maxServers: 50 }),
    );
    expect(d.desiredSlots).toBeGreaterThan(6); // offered load 6 Erlangs
    const q = createScalingPolicy('predictive');
    expect(q.decide(snap({ queued: 30, running: 10, observedArrivalsPerSec: 0.01 }), limits).desiredSlots).toBe(40);
  });

  it('uses a supplied forecast and scales down only after its stabilization window', () => {
    const p = createScalingPolicy('predictive', { scaleDownStabilizationMs: 60_000 });
    const high = p.decide(snap({ nowMs: 0, forecastArrivalsPerSec: 0.2, slots: 0 }), limits).desiredSlots;
    const low = { forecastArrivalsPerSec: 0.02, slots: high };
    expect(p.decide(snap({ nowMs: 30_000, ...low }), limits).desiredSlots).toBe(high);
    const later = p.decide(snap({ nowMs: 120_000, ...low }), limits).desiredSlots;
    expect(later).toBeLessThan(high);
    expect(later).toBeGreaterThan(0);
  });

  it('a higher cost weight never wants more slots', () => {
    const s = snap({ observedArrivalsPerSec: 0.3, meanBuildMs: 60_000 });
    const cheap = createScalingPolicy('predictive', { costWeight: 0.01 }).decide(s, limits).desiredSlots;
    const dear = createScalingPolicy('predictive', { costWeight: 100 }).decide(s, limits).desiredSlots;
    expect(cheap).toBeGreaterThan(dear);
  });

  it('stretches the SLO by (1 + Cs²)/2 for variable build times (Allen–Cunneen), unless turned off', () => {
    const s = snap({ observedArrivalsPerSec: 0.1, meanBuildMs: 60_000, buildMsCv2: 3 });
    const sized = (sloMs: number): number =>
      minServersForSlo({ arrivalsPerSec: 0.1, meanServiceMs: 60_000, sloMs, quantile: 0.95, maxServers: 50 });
    const opts = { costWeight: Infinity, quantile: 0.95 };
    expect(createScalingPolicy('predictive', opts).decide(s, limits).desiredSlots).toBe(sized(30_000));
    expect(sized(30_000)).toBeGreaterThan(sized(60_000));
    expect(createScalingPolicy('predictive', { ...opts, serviceVariability: false }).decide(s, limits).desiredSlots).toBe(sized(60_000));
    // Exponential build times (Cs² = 1) are plain M/M/c.
    expect(createScalingPolicy('predictive', opts).decide({ ...s, buildMsCv2: 1 }, limits).desiredSlots).toBe(sized(60_000));
  });

  it('error-budget sizing spends fewer slots where they protect few jobs, more as a late job costs more', () => {
    // λ = 0.001/s, S = 60 s: the p99 ≤ 60 s quantile needs 2 slots (P(W > 60 s) = 0.06·e^(−0.94) ≈ 0.023 with 1).
    const s = snap({ observedArrivalsPerSec: 0.001, meanBuildMs: 60_000, buildMsCv2: 1 });
    const sloOnly = createScalingPolicy('predictive', { quantile: 0.99 }).decide(s, limits).desiredSlots;
    expect(sloOnly).toBe(2);
    // A late job worth 100 slot-seconds: 1 slot costs 1 + 100·0.001·0.023 per second, 2 slots ≥ 2 → 1 slot.
    expect(createScalingPolicy('predictive', { quantile: 0.99, lateJobCost: 100 }).decide(s, limits).desiredSlots).toBe(1);
    const dear = createScalingPolicy('predictive', { quantile: 0.99, lateJobCost: 1e7 }).decide(s, limits).desiredSlots;
    expect(dear).toBeGreaterThanOrEqual(sloOnly);
    expect(() => createScalingPolicy('predictive', { lateJobCost: 0 })).toThrow(RangeError);
  });

  it('forecaster learns the hour-of-day profile and looks ahead', () => {
    const f = createArrivalForecaster();
    const H = 3_600_000;
    // Day 1: hour 9 busy (1/s), other hours quiet.
    for (let t = 0; t < 24 * H; t += 60_000) f.observe(t, Math.floor(t / H) === 9 ? 1 : 0.01);
    // Day 2, 08:20: still quiet now, but 9:00 is near → a 40-minute look-ahead anticipates it.
    const now = 32 * H + 20 * 60_000;
    for (let t = 24 * H; t < now; t += 60_000) f.observe(t, 0.01);
    expect(f.forecast(now, 40 * 60_000)).toBeGreaterThan(0.5);
    expect(f.forecast(now, 0)).toBeLessThan(0.05);
  });

  it('forecaster anticipates a step between two hours at the boundary, not half an hour later', () => {
    const f = createArrivalForecaster();
    const H = 3_600_000;
    const M = 60_000;
    for (let t = 0; t < 24 * H; t += M) f.observe(t, Math.floor(t / H) === 9 ? 1 : 0.01);
    for (let t = 24 * H; t <= 32 * H + 56 * M; t += M) f.observe(t, 0.01);
    // 08:56 with a 5-minute look-ahead reaches into hour 9: the whole measured step (≈ 1/s) is expected.
    expect(f.forecast(32 * H + 56 * M, 5 * M)).toBeGreaterThan(0.9);
    // 08:40 + 5 min stays within hour 8: only the interpolated slope, far below the step.
    const g = createArrivalForecaster();
    for (let t = 0; t < 24 * H; t += M) g.observe(t, Math.floor(t / H) === 9 ? 1 : 0.01);
    for (let t = 24 * H; t <= 32 * H + 40 * M; t += M) g.observe(t, 0.01);
    expect(g.forecast(32 * H + 40 * M, 5 * M)).toBeLessThan(0.2);
  });

  it('unknown names are input errors', () => {
    expect(() => createScalingPolicy('magic')).toThrow(InputError);
  });
});
