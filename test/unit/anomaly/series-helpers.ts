/** Synthetic series for the anomaly unit tests (seeded, minute cadence). */
import { createRng } from '../../../processors/anomaly/evaluation/rng.js';

export const T0 = Date.UTC(2026, 0, 5);
export const MINUTE = 60_000;

/** `n` points of level + Gaussian noise (σ = sigma), minute cadence, with `tweak(i, v)` applied. */
export function series(
  n: number,
  opts: { seed?: number; level?: number; sigma?: number; cadenceMs?: number } = {},
  tweak: (i: number, v: number) => number = (_i, v) => v,
) {
  const rng = createRng(opts.seed ?? 1);
  const cadence = opts.cadenceMs ?? MINUTE;
  return Array.from({ length: n }, (_, i) => {
    const v = (opts.level ?? 100) + (opts.sigma ?? 2) * rng.normal();
    return { t: T0 + i * cadence, value: tweak(i, v) };
  });
}
