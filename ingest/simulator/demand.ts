/**
 * Build demand over time: a diurnal curve (quiet nights, a late-morning and an afternoon peak) times
 * a weekly one (weekends at about a third), in UTC. Arrivals are a Poisson process with this rate.
 */
import type { Rng } from './rng.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function rawDemand(ms: number): number {
  const hour = (ms % DAY) / HOUR;
  const bump = (h: number, width: number): number => Math.exp(-((hour - h) ** 2) / (2 * width ** 2));
  const daily = 0.15 + 1.1 * bump(10.5, 2) + 1.2 * bump(15, 2.5);
  const dow = new Date(ms).getUTCDay();
  return daily * (dow === 0 || dow === 6 ? 0.35 : 1);
}

// Mean and maximum over one whole week (2024-01-01 is a Monday) at 5-minute resolution.
const WEEK = (() => {
  let sum = 0;
  let max = 0;
  const steps = 7 * 24 * 12;
  for (let i = 0; i < steps; i++) {
    const d = rawDemand(Date.UTC(2024, 0, 1) + i * 300_000);
    sum += d;
    max = Math.max(max, d);
  }
  return { mean: sum / steps, max };
})();

/** Relative demand at a time; its mean over a week is 1 (nights ≈ 0.3, weekday peaks ≈ 3). */
export function demandFactor(ms: number): number {
  return rawDemand(ms) / WEEK.mean;
}

/** The largest value {@link demandFactor} takes. */
export const PEAK_DEMAND = (WEEK.max / WEEK.mean) * 1.02;

/**
 * Time of the next arrival after `fromMs` for a process with rate `perSecond × demandFactor(t)`
 * (thinning against the peak, exact for the time-varying rate).
 */
export function nextArrival(rng: Rng, fromMs: number, perSecond: number): number {
  const peak = perSecond * PEAK_DEMAND;
  let t = fromMs;
  for (;;) {
    t += rng.exponential(1000 / peak);
    if (rng.next() * peak <= perSecond * demandFactor(t)) return t;
  }
}
