/**
 * Score helpers shared by the detectors: every component score is a number in [0, 1] where ~0.5 is
 * "borderline" and ≥ 0.7 is worth an alert (the lifecycle decides with hysteresis).
 */

/** Logistic map of `x` centred on `centre` with width `width` (0.27 at centre−width, 0.73 at centre+width). */
export function sigmoid(x: number, centre: number, width: number): number {
  return 1 / (1 + Math.exp(-(x - centre) / width));
}

/** Clamps `x` into [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Rounds a score or value for output (4 decimals keeps JSON small and stable). */
export function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** Detector names (also the `detector` field of an Alert). */
export type DetectorKind =
  | 'spike'
  | 'dip'
  | 'level_shift'
  | 'variance'
  | 'flatline'
  | 'drift'
  | 'failure_burst'
  | 'cache_drop'
  | 'latency_burst'
  | 'stuck_queue';

/** The score of one point with what the detector expected. */
export interface PointScore {
  /** Combined score in [0, 1] (the largest component). */
  score: number;
  /** Component that produced `score`. */
  kind: DetectorKind;
  /** What the baseline predicted for this point. */
  expected: number;
  /** Expected range (about ±3 robust standard deviations). */
  expectedLow: number;
  expectedHigh: number;
  /** Every component's score, for evidence. */
  components: Partial<Record<DetectorKind, number>>;
}

/** Picks the largest component as the combined score. */
export function combine(
  components: Partial<Record<DetectorKind, number>>,
  fallback: DetectorKind,
  expected: number,
  low: number,
  high: number,
): PointScore {
  let kind = fallback;
  let score = 0;
  for (const [k, v] of Object.entries(components) as [DetectorKind, number][]) {
    if (v > score) {
      score = v;
      kind = k;
    }
  }
  return { score: clamp(score, 0, 1), kind, expected, expectedLow: low, expectedHigh: high, components };
}
