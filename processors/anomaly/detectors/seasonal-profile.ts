/**
 * Additive seasonal profile: an hour-of-day curve plus an hour-of-week correction, each a ring of
 * buckets whose centres are linearly interpolated (a smooth daily curve is not a staircase).
 *
 * Learning rate per bucket adapts to the data cadence: a bucket seen for the first time learns faster
 * (up to 5 % per point), later it moves about a third of the way per visit (per day / per week), so
 * minute and hourly series both converge in a few periods. Pure state, no I/O.
 */

const HOUR_MS = 3_600_000;

/** One ring of buckets (24 for the day, 168 for the week). */
interface Ring {
  size: number;
  values: Float64Array;
  weights: Float64Array;
}

function ring(size: number): Ring {
  return { size, values: new Float64Array(size), weights: new Float64Array(size) };
}

/** Position of `t` in a ring: the two neighbouring bucket indices and the interpolation fraction. */
function position(r: Ring, t: number): [number, number, number] {
  const hours = t / HOUR_MS - 0.5;
  const base = Math.floor(hours);
  const frac = hours - base;
  const i = ((base % r.size) + r.size) % r.size;
  return [i, (i + 1) % r.size, frac];
}

function valueAt(r: Ring, t: number): number {
  const [i, j, f] = position(r, t);
  return (1 - f) * (r.values[i] ?? 0) + f * (r.values[j] ?? 0);
}

function learn(r: Ring, t: number, error: number, rate: number, boostNew: boolean): void {
  const [i, j, f] = position(r, t);
  for (const [k, w] of [
    [i, 1 - f],
    [j, f],
  ] as const) {
    if (w <= 0) continue;
    const seen = (r.weights[k] ?? 0) + w;
    r.weights[k] = seen;
    // A new bucket learns faster (at most 5 % per point, so one incident cannot become "seasonal").
    const g = Math.min(1, w * (boostNew ? Math.max(rate, Math.min(1 / seen, 0.05)) : rate));
    r.values[k] = (r.values[k] ?? 0) + g * error;
  }
}

/** A daily + weekly additive profile. */
export interface SeasonalProfile {
  /** Seasonal offset expected at `t` (0 until learned). */
  value(t: number): number;
  /** Moves the profile towards `error` (observed minus predicted) at `t`; `cadenceMs` is the typical gap between points. */
  learn(t: number, error: number, cadenceMs: number): void;
}

/** Creates an empty profile. `weekly: false` keeps only the daily curve. */
export function createSeasonalProfile(options: { weekly?: boolean } = {}): SeasonalProfile {
  const day = ring(24);
  const week = options.weekly === false ? undefined : ring(168);
  return {
    value(t) {
      return valueAt(day, t) + (week ? valueAt(week, t) : 0);
    },
    learn(t, error, cadenceMs) {
      // Points falling into one hour bucket per visit; aim for ~1/3 of the way per visit.
      const perVisit = Math.max(1, HOUR_MS / Math.max(cadenceMs, 1));
      const rate = 1 / (3 * perVisit);
      const before = valueAt(day, t);
      learn(day, t, error, rate, true);
      // The weekly ring only learns what the daily ring could not (weekday vs weekend), slowly.
      if (week) learn(week, t, error - (valueAt(day, t) - before), rate, false);
    },
  };
}
