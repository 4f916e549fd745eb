/**
 * Adapts the models part's scoring function (`models/` `createPredictor`) to the API's {@link Predictor}:
 * one request item → one `BuildInput` (queued now unless `queued_at` is given), and its
 * p50/p10/p90 duration and failure probability back.
 */
import { randomUUID } from 'node:crypto';
import type { Predictor as ModelPredictor } from '../../models/index.js';
import type { PredictInput, Prediction, Predictor } from './predictor.js';

/** Wraps the models predictor; `check` is the models registry's reachability. */
export function adaptModelPredictor(
  model: Pick<ModelPredictor, 'predict'>,
  check: () => Promise<void>,
  clock: () => number = Date.now,
): Predictor {
  return {
    predict(inputs: readonly PredictInput[]): Promise<Prediction[]> {
      try {
        const now = clock();
        const out = model.predict(
          inputs.map((i) => ({
            build_id: `api-${randomUUID()}`,
            pool: i.pool,
            arch: i.arch,
            executor: i.executor ?? null,
            combination: i.combination,
            at: i.queued_at ?? now,
            features: i.features ?? {},
          })),
        );
        return Promise.resolve(
          out.map((p) => ({
            duration_ms: p.duration_p50_ms,
            duration_low_ms: p.duration_p10_ms,
            duration_high_ms: p.duration_p90_ms,
            failure_probability: p.failure_prob,
            model_version: p.model_version,
          })),
        );
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
    check,
  };
}
