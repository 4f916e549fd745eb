/** Post-hoc calibration fitted on a later-in-time slice of the training window. */

/** Platt scaling: p = sigmoid(a · logit + b). */
export interface Platt {
  a: number;
  b: number;
}

/** Logistic sigmoid. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Fits Platt scaling by Newton's method on (logit, label) pairs (identity when it cannot be fitted). */
export function fitPlatt(logits: ArrayLike<number>, labels: ArrayLike<number>, iterations = 50): Platt {
  let a = 1;
  let b = 0;
  const n = logits.length;
  if (n === 0) return { a, b };
  for (let it = 0; it < iterations; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-6;
    let hab = 0;
    let hbb = 1e-6;
    for (let i = 0; i < n; i++) {
      const x = logits[i] as number;
      const p = sigmoid(a * x + b);
      const d = p - (labels[i] as number);
      const w = p * (1 - p);
      ga += d * x;
      gb += d;
      haa += w * x * x;
      hab += w * x;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 1e-12)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-7) break;
  }
  return Number.isFinite(a) && Number.isFinite(b) ? { a, b } : { a: 1, b: 0 };
}

/**
 * Widening factor of the p10–p90 interval (in log space around p50) so that it covers `target` of the
 * calibration rows: the smallest s in a grid with coverage ≥ target.
 */
export function fitIntervalScale(
  actualLog: ArrayLike<number>,
  lo: ArrayLike<number>,
  mid: ArrayLike<number>,
  hi: ArrayLike<number>,
  target = 0.8,
): number {
  const n = actualLog.length;
  if (n === 0) return 1;
  for (let s = 0.5; s <= 4; s += 0.05) {
    let inside = 0;
    for (let i = 0; i < n; i++) {
      const m = mid[i] as number;
      const y = actualLog[i] as number;
      if (y >= m - s * (m - (lo[i] as number)) && y <= m + s * ((hi[i] as number) - m)) inside++;
    }
    if (inside / n >= target) return s;
  }
  return 4;
}
