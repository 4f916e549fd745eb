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

  it('unknown names are input errors', () => {
    expect(() => createScalingPolicy('magic')).toThrow(InputError);
  });
});
