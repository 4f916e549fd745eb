/**
 * Robust running baselines of log values per key (per module combination for build durations, per
 * pool/tier/outcome for cache latencies). `residual` standardises a value against its key's baseline
 * BEFORE learning from it, so an entity-level signal (a slow executor) stands out from the mix of
 * what it builds. Deterministic; keys unseen fewer than `minSamples` times give no residual.
 */

/** Baselines by key. */
export interface LogBaselines {
  /** (log(value) − mean) / scale for the key, clipped to ±6, then learns; undefined while the key is new. */
  residual(key: string, value: number): number | undefined;
}

/** Creates empty baselines. */
export function createLogBaselines(options: { minSamples?: number; alpha?: number; minScale?: number } = {}): LogBaselines {
  const minSamples = options.minSamples ?? 5;
  const alpha = options.alpha ?? 0.05;
  const minScale = options.minScale ?? 0.1;
  const state = new Map<string, { n: number; mean: number; mad: number }>();
  return {
    residual(key, value) {
      const x = Math.log(Math.max(value, 1e-6));
      const s = state.get(key);
      if (!s) {
        state.set(key, { n: 1, mean: x, mad: 0 });
        return undefined;
      }
      const scale = Math.max(1.2533 * s.mad, minScale);
      const r = Math.max(-6, Math.min(6, (x - s.mean) / scale));
      s.n++;
      // Outliers barely teach the level and not the spread (else an outage would become normal within
      // minutes, and a widened spread would hide the next outage on the same key).
      const outlier = s.n > minSamples && Math.abs(r) > 3;
      const a = outlier ? alpha / 20 : Math.max(alpha, 1 / s.n);
      const d = s.n > minSamples ? Math.max(-3 * scale, Math.min(3 * scale, x - s.mean)) : x - s.mean;
      s.mean += a * d;
      if (!outlier) s.mad += a * (Math.abs(d) - s.mad);
      return s.n > minSamples ? r : undefined;
    },
  };
}
