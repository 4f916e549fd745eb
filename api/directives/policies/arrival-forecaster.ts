/**
 * Arrival-rate forecaster used by the `predictive` policy: a Holt-Winters-style model with
 * a level (EWMA of recent observations) and an hour-of-day seasonal profile (EWMA across days of each
 * UTC hour's mean rate). Pure: all state lives in the returned object.
 */
import { checkRange } from './clamp.js';

const HOUR_MS = 3_600_000;

/** Options of {@link createArrivalForecaster}. */
export interface ArrivalForecasterOptions {
  /** Weight of a new day's hour in the seasonal profile. Default 0.5. */
  seasonAlpha?: number;
  /** Weight of each new observation in the level. Default 0.3. */
  levelAlpha?: number;
}

/** A stateful forecaster of arrivals per second. */
export interface ArrivalForecaster {
  /** Feeds the observed rate (jobs/s over the caller's recent window) at `nowMs` (non-decreasing). */
  observe(nowMs: number, arrivalsPerSec: number): void;
  /** Forecast rate for [nowMs, nowMs + leadMs]: the level plus the seasonal rise over that span. */
  forecast(nowMs: number, leadMs: number): number;
  /** Seasonal rate at a time (interpolated between hour centres), or undefined before the hour was seen. */
  seasonalAt(timeMs: number): number | undefined;
  /** Current level (EWMA of observations), 0 before any. */
  level(): number;
}

/** Creates a forecaster with empty history. */
export function createArrivalForecaster(options: ArrivalForecasterOptions = {}): ArrivalForecaster {
  const seasonAlpha = checkRange('seasonAlpha', options.seasonAlpha ?? 0.5, 0, 1);
  const levelAlpha = checkRange('levelAlpha', options.levelAlpha ?? 0.3, 0, 1);
  const seasonal: (number | undefined)[] = new Array<number | undefined>(24).fill(undefined);
  let level: number | undefined;
  let hourIndex: number | undefined;
  let hourSum = 0;
  let hourCount = 0;

  const fold = (): void => {
    if (hourIndex === undefined || hourCount === 0) return;
    const h = hourIndex % 24;
    const mean = hourSum / hourCount;
    const prev = seasonal[h];
    seasonal[h] = prev === undefined ? mean : (1 - seasonAlpha) * prev + seasonAlpha * mean;
  };

  const hourOf = (timeMs: number): number => ((Math.floor(timeMs / HOUR_MS) % 24) + 24) % 24;
  const seasonalAt = (timeMs: number): number | undefined => {
    const x = timeMs / HOUR_MS - 0.5;
    const h0 = Math.floor(x);
    const w = x - h0;
    const a = seasonal[((h0 % 24) + 24) % 24];
    const b = seasonal[(((h0 + 1) % 24) + 24) % 24];
    if (a === undefined || b === undefined) return a ?? b;
    return a * (1 - w) + b * w;
  };

  return {
    observe(nowMs, rate) {
      const idx = Math.floor(nowMs / HOUR_MS);
      if (idx !== hourIndex) {
        fold();
        hourIndex = idx;
        hourSum = 0;
        hourCount = 0;
      }
      hourSum += rate;
      hourCount += 1;
      level = level === undefined ? rate : level + levelAlpha * (rate - level);
    },
    forecast(nowMs, leadMs) {
      // Holt-Winters style: current level plus the seasonal rise expected over the look-ahead
      // (peak of the profile on [now, now + lead] minus its value now); falls are left to the level.
      const lvl = level ?? 0;
      const sNow = seasonalAt(nowMs);
      if (sNow === undefined) return lvl;
      let ahead = sNow;
      const step = Math.max(60_000, leadMs / 8);
      for (let t = nowMs + step; t < nowMs + leadMs; t += step) ahead = Math.max(ahead, seasonalAt(t) ?? sNow);
      ahead = Math.max(ahead, seasonalAt(nowMs + leadMs) ?? sNow);
      // Hour bins are what was measured: a step between two hours (a shift starting at 9:00) is due at the
      // boundary, which the interpolation between hour centres would only half anticipate.
      const binNow = seasonal[hourOf(nowMs)] ?? sNow;
      const binAhead = Math.max(binNow, seasonal[hourOf(nowMs + leadMs)] ?? binNow);
      return lvl + Math.max(ahead - sNow, binAhead - binNow);
    },
    seasonalAt,
    level: () => level ?? 0,
  };
}
