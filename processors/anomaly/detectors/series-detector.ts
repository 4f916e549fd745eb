/**
 * The univariate online detector used for every numeric series (offline CSV, executor utilisation,
 * build durations, queue waits). Pure and deterministic: `update(t, v)` scores the point from the
 * state built by earlier points only (no look-ahead), then learns from it.
 *
 * Model: robust Holt-Winters — level + slope + additive daily/weekly profile, residual scale from an
 * exponentially weighted mean absolute deviation; learning uses residuals clipped to ±2.5σ so that
 * anomalies barely move the baseline. Components scored per point:
 *  - spike / dip: |z| of the residual;
 *  - level_shift: two-sided CUSUM of z (clipped); once confirmed (CUSUM high and a same-sign run) the
 *    baseline is re-fitted to the points since the change, so a new normal stops alerting;
 *  - variance: short EW mean of z² (noise bursts); re-scaled after a sustained change;
 *  - flatline: a run of identical values in a series that normally changes every point.
 */
import { createSeasonalProfile, type SeasonalProfile } from './seasonal-profile.js';
import { clamp, combine, sigmoid, type DetectorKind, type PointScore } from './score.js';

/** Tuning of {@link createSeriesDetector}; defaults suit minute and hourly series alike. */
export interface SeriesDetectorOptions {
  /** Points used to learn before any score is given (default 30). */
  warmup?: number;
  /** Level smoothing per point (default 0.1). */
  alpha?: number;
  /** Slope smoothing (default 0.002: a faster slope chases the daily curve and inflates the residuals). */
  beta?: number;
  /** Scale (MAD) smoothing per point (default 0.02). */
  scaleAlpha?: number;
  /** Learn daily/weekly seasonality (default true). */
  seasonal?: boolean;
  /** Which direction matters: both (default), only up (spikes) or only down (dips). */
  direction?: 'both' | 'up' | 'down';
  /** CUSUM value that confirms a level shift and triggers the re-baseline (default 12). */
  confirmCusum?: number;
  /** Components that may score (default all); e.g. only `flatline` for load-driven utilisation. */
  kinds?: readonly DetectorKind[];
}

/** An online detector over one series. */
export interface SeriesDetector {
  /** Scores the point at event time `t` (ms) with value `v`, then learns from it. */
  update(t: number, v: number): PointScore;
  /** Number of confirmed changes the detector re-baselined after (level and variance). */
  readonly rebaselines: number;
}

const RUN_BUFFER = 32;
const SQRT_PI_2 = 1.2533; // mean absolute deviation → σ for a normal distribution

/** Least-squares line through (t, y); returns its value at the last t and its slope per ms. */
function fitLine(ts: number[], ys: number[]): { last: number; slope: number } {
  const n = ys.length;
  const t0 = ts[n - 1] ?? 0;
  let st = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    st += (ts[i] ?? 0) - t0;
    sy += ys[i] ?? 0;
  }
  const mt = st / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dt = (ts[i] ?? 0) - t0 - mt;
    num += dt * ((ys[i] ?? 0) - my);
    den += dt * dt;
  }
  const slope = den > 0 ? num / den : 0;
  return { last: my - slope * mt, slope };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

/** Creates a detector with its own state. */
export function createSeriesDetector(options: SeriesDetectorOptions = {}): SeriesDetector {
  const warmup = options.warmup ?? 30;
  const alpha = options.alpha ?? 0.1;
  const beta = options.beta ?? 0.002;
  const scaleAlpha = options.scaleAlpha ?? 0.02;
  const confirmCusum = options.confirmCusum ?? 12;
  const direction = options.direction ?? 'both';
  const profile: SeasonalProfile | undefined = options.seasonal === false ? undefined : createSeasonalProfile();

  let n = 0;
  let lastT = 0;
  let lastV = 0;
  let cadence = 0;
  let level = 0;
  let slope = 0;
  let scale = 0;
  let cusumUp = 0;
  let cusumDown = 0;
  let runSign = 0;
  let runT: number[] = [];
  let runY: number[] = [];
  let varEw = 1;
  let varHigh = 0;
  let changeRate = 1;
  let flatRun = 0;
  let rebaselines = 0;

  function update(t: number, v: number): PointScore {
    n++;
    if (n === 1) {
      level = v;
      lastT = t;
      lastV = v;
      return combine({}, 'spike', v, v, v);
    }
    const dt = Math.max(0, t - lastT);
    cadence = cadence === 0 ? dt : cadence + 0.05 * (dt - cadence);
    const season = profile ? profile.value(t) : 0;
    const predicted = level + slope * dt + season;
    const floor = Math.max(1e-9, 1e-3 * Math.abs(level));
    const sigma = Math.max(scale, floor);
    const resid = v - predicted;
    const z = resid / sigma;
    const warm = n > warmup;

    // Flatline bookkeeping (a change of exactly nothing).
    const changed = Math.abs(v - lastV) > 1e-12 * Math.max(1, Math.abs(v));
    flatRun = changed ? 0 : flatRun + 1;

    // --- scores from the state before this point ---
    const components: PointScore['components'] = {};
    if (warm) {
      const zs = direction === 'up' ? Math.max(z, 0) : direction === 'down' ? Math.min(z, 0) : z;
      components[zs >= 0 ? 'spike' : 'dip'] = sigmoid(Math.abs(zs), 4.5, 0.5);
      const zc = clamp(z, -4, 4);
      cusumUp = Math.max(0, cusumUp + zc - 1);
      cusumDown = Math.max(0, cusumDown - zc - 1);
      const cusum = direction === 'up' ? cusumUp : direction === 'down' ? cusumDown : Math.max(cusumUp, cusumDown);
      components.level_shift = sigmoid(cusum, 7, 1);
      varEw += 0.15 * (Math.min(z * z, 25) - varEw);
      if (direction === 'both') components.variance = sigmoid(Math.log2(Math.max(varEw, 1e-9)), 2.8, 0.4);
      if (changeRate > 0.5 && flatRun >= 5) {
        const surprise = flatRun * -Math.log10(1 - Math.min(changeRate, 0.99));
        components.flatline = sigmoid(surprise, 4, 0.6);
      }
    }
    if (options.kinds) for (const k of Object.keys(components) as DetectorKind[]) if (!options.kinds.includes(k)) delete components[k];
    const result = combine(components, 'spike', predicted, predicted - 3 * sigma, predicted + 3 * sigma);

    // --- learning ---
    const sign = z > 1 ? 1 : z < -1 ? -1 : 0;
    if (sign !== 0 && sign === runSign) {
      runT.push(t);
      runY.push(v - season);
      if (runT.length > RUN_BUFFER) {
        runT.shift();
        runY.shift();
      }
    } else {
      runSign = sign;
      runT = sign === 0 ? [] : [t];
      runY = sign === 0 ? [] : [v - season];
    }
    changeRate += (warm ? 0.02 : 1 / n) * ((changed ? 1 : 0) - changeRate);

    if (warm && Math.max(cusumUp, cusumDown) >= confirmCusum && runT.length >= 4) {
      // Confirmed level (or trend) change: re-fit the level on the points since the change. The slope
      // restarts at 0 (a slope fitted on a few points extrapolates their noise); Holt re-learns it.
      if (runT.length >= 8) {
        level = fitLine(runT, runY).last;
        slope = 0;
      } else {
        level = median(runY);
      }
      cusumUp = 0;
      cusumDown = 0;
      varEw = 1;
      runSign = 0;
      runT = [];
      runY = [];
      rebaselines++;
    } else if (flatRun < 2 || !warm) {
      const a = warm ? alpha : Math.max(alpha, 1 / n);
      const rc = scale > 0 && warm ? clamp(resid, -2.5 * sigma, 2.5 * sigma) : resid;
      const base = level + slope * dt;
      level = base + a * rc;
      if (dt > 0 && warm) slope += beta * ((a * rc) / dt);
      if (profile) profile.learn(t, scale > 0 && warm ? clamp(v - level - season, -2 * sigma, 2 * sigma) : v - level - season, cadence);
      const absR = scale > 0 && warm ? Math.min(Math.abs(resid), 4 * sigma) : Math.abs(resid);
      const sa = warm ? scaleAlpha : Math.max(scaleAlpha, 1 / (n - 1));
      scale += sa * (SQRT_PI_2 * absR - scale);
    }

    // Sustained variance change: accept the new noise level instead of alerting forever.
    if (warm && (components.variance ?? 0) > 0.7) {
      varHigh++;
      if (varHigh >= 30) {
        scale *= Math.sqrt(varEw);
        varEw = 1;
        varHigh = 0;
        rebaselines++;
      }
    } else varHigh = 0;

    lastT = t;
    lastV = v;
    return result;
  }

  return {
    update,
    get rebaselines() {
      return rebaselines;
    },
  };
}
