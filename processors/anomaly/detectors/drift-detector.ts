/**
 * Prediction-drift detector: pairs of actual and predicted build duration. Scores the exponentially
 * weighted mean of log(actual / predicted) — a sustained bias of the model, not single slow builds.
 * It does not re-baseline: the remedy for drift is retraining, so it fires until the bias is gone.
 */
import { combine, sigmoid, type PointScore } from './score.js';

/** An online drift detector. */
export interface DriftDetector {
  /** Feeds the mean log-ratio of a minute's pairs (`count` pairs). */
  update(t: number, actualMs: number, predictedMs: number, count?: number): PointScore;
}

/** Creates a detector. `tolerance` is the relative bias scored 0.5 (default 0.25 = 25 %). */
export function createDriftDetector(options: { tolerance?: number; alpha?: number; minPairs?: number } = {}): DriftDetector {
  const tolerance = Math.log(1 + (options.tolerance ?? 0.25));
  const alpha = options.alpha ?? 0.2;
  const minPairs = options.minPairs ?? 10;
  let bias = 0;
  let pairs = 0;
  return {
    update(_t, actualMs, predictedMs, count = 1) {
      if (actualMs > 0 && predictedMs > 0) {
        pairs += count;
        const a = Math.max(alpha, 1 / pairs);
        bias += Math.min(1, a * count) * (Math.log(actualMs / predictedMs) - bias);
      }
      const score = pairs >= minPairs ? sigmoid(Math.abs(bias), tolerance, tolerance / 6) : 0;
      const expected = predictedMs;
      return combine({ drift: score }, 'drift', expected, expected / (1 + tolerance), expected * (1 + tolerance));
    },
  };
}
