/**
 * Online per-key linear regression y ≈ a + b·x with exponentially weighted sufficient statistics.
 * Used for "CPU not explained by load": cpu_util against running_builds / slots per executor, so a
 * degraded executor (same work, more CPU) stands out while ordinary load swings do not.
 * `residual` returns y minus the fit BEFORE learning the sample (no look-ahead).
 */

/** Regressions by key. */
export interface LoadRegressions {
  /** y − (a + b·x) for the key, or undefined while it has fewer than `minSamples` samples. */
  residual(key: string, x: number, y: number): number | undefined;
}

interface Stats {
  n: number;
  w: number;
  sx: number;
  sy: number;
  sxx: number;
  sxy: number;
  mad: number;
}

/** Creates empty regressions. */
export function createLoadRegressions(options: { alpha?: number; minSamples?: number } = {}): LoadRegressions {
  const alpha = options.alpha ?? 0.01;
  const minSamples = options.minSamples ?? 40;
  const state = new Map<string, Stats>();
  return {
    residual(key, x, y) {
      let s = state.get(key);
      if (!s) state.set(key, (s = { n: 0, w: 0, sx: 0, sy: 0, sxx: 0, sxy: 0, mad: 0 }));
      let r: number | undefined;
      let predicted = y;
      if (s.w > 0) {
        const mx = s.sx / s.w;
        const my = s.sy / s.w;
        const vxx = s.sxx / s.w - mx * mx;
        const b = vxx > 1e-6 ? (s.sxy / s.w - mx * my) / vxx : 0;
        predicted = my + b * (x - mx);
        r = y - predicted;
      }
      s.n++;
      // Outliers (|r| > 4 scaled MADs) teach the fit only a little.
      const outlier = r !== undefined && s.n > minSamples && Math.abs(r) > 4 * Math.max(1.2533 * s.mad, 1e-3);
      const a = outlier ? alpha / 20 : Math.max(alpha, 1 / s.n);
      const keep = 1 - a;
      s.w = keep * s.w + a;
      s.sx = keep * s.sx + a * x;
      s.sy = keep * s.sy + a * y;
      s.sxx = keep * s.sxx + a * x * x;
      s.sxy = keep * s.sxy + a * x * y;
      if (r !== undefined) s.mad += a * (Math.abs(r) - s.mad);
      return s.n > minSamples ? r : undefined;
    },
  };
}
