/**
 * What the API needs from the models part: batch scoring of build requests. `pulse serve` wires the
 * models module's implementation; unit tests use a fake of this interface.
 */

/** One build request to score (only information known before the build starts). */
export interface PredictInput {
  pool: string;
  arch: string;
  /** `module@version` list, base first. */
  combination: string[];
  executor?: string | null;
  /** Extra numeric features known before the build (imported `f_<name>` columns). */
  features?: Record<string, number>;
  /** When the job was queued, ms since epoch (default: now). */
  queued_at?: number;
}

/** The prediction for one input. */
export interface Prediction {
  /** Point estimate of the build duration, ms. */
  duration_ms: number;
  /** Lower and upper bounds of the duration prediction interval, ms. */
  duration_low_ms: number;
  duration_high_ms: number;
  /** Calibrated probability that the build fails, 0..1. */
  failure_probability: number;
  /** Version of the model that produced it. */
  model_version: string;
}

/** Batch scorer. `predict` returns one prediction per input, in order. */
export interface Predictor {
  predict(inputs: readonly PredictInput[]): Promise<Prediction[]>;
  /** Throws (UnavailableError / ModelLoadError) when no model can serve; used by /readyz. */
  check(): Promise<void>;
}
