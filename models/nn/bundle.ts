/**
 * A trained model version: the duration and failure networks plus what inference needs beside the
 * weights (standardization, calibration, threshold, interval scale). Inference runs inside `tf.tidy`
 * in chunks, so no tensor outlives a call.
 */
import * as tf from '@tensorflow/tfjs';
import { ModelLoadError } from '../../common/errors.js';
import { ANCHOR_INDEX, FEATURE_DIM, FEATURE_VERSION, NUMERIC_DIM } from '../features/vector.js';
import { sigmoid, type Platt } from './calibration.js';

/** Everything about a version except the weights (stored as meta.json beside them). */
export interface BundleMeta {
  version: string;
  featureVersion: number;
  featureDim: number;
  /** Standardization of the numeric block. */
  mean: number[];
  std: number[];
  platt: Platt;
  /** Calibrated failure probability at or above which a build is predicted to fail. */
  threshold: number;
  /** Widening of the p10–p90 interval fitted on the calibration slice. */
  intervalScale: number;
  trainedRows: number;
  /** Start-time range of the training rows (ms). */
  trainFromMs: number;
  trainToMs: number;
  backend: string;
  createdAtMs: number;
}

/** Predictions for n rows. */
export interface BundleOutput {
  p10: Float64Array;
  p50: Float64Array;
  p90: Float64Array;
  failureProb: Float64Array;
}

/** A loaded or freshly trained model version. */
export interface ModelBundle {
  readonly meta: BundleMeta;
  readonly duration: tf.LayersModel;
  readonly failure: tf.LayersModel;
  /** Predicts for `n` row-major feature vectors in `x` (unstandardized, as written by writeFeatures). */
  predict(x: Float32Array, n: number): BundleOutput;
  dispose(): void;
}

const CHUNK = 8192;

/** Wraps networks and meta into a bundle (checks the feature layout). */
export function createBundle(meta: BundleMeta, duration: tf.LayersModel, failure: tf.LayersModel): ModelBundle {
  if (meta.featureVersion !== FEATURE_VERSION || meta.featureDim !== FEATURE_DIM)
    throw new ModelLoadError(
      meta.version,
      `trained on feature layout v${meta.featureVersion}/${meta.featureDim}, this build computes v${FEATURE_VERSION}/${FEATURE_DIM}`,
    );
  let disposed = false;
  return {
    meta,
    duration,
    failure,
    predict(x, n) {
      if (disposed) throw new ModelLoadError(meta.version, 'model was disposed (a newer champion replaced it)');
      const out: BundleOutput = {
        p10: new Float64Array(n),
        p50: new Float64Array(n),
        p90: new Float64Array(n),
        failureProb: new Float64Array(n),
      };
      for (let start = 0; start < n; start += CHUNK) {
        const m = Math.min(CHUNK, n - start);
        const xs = standardize(meta, x.subarray(start * FEATURE_DIM, (start + m) * FEATURE_DIM), m);
        const [q, logit] = tf.tidy(() => {
          const t = tf.tensor2d(xs, [m, FEATURE_DIM]);
          return [
            (duration.predict(t, { batchSize: m }) as tf.Tensor).dataSync(),
            (failure.predict(t, { batchSize: m }) as tf.Tensor).dataSync(),
          ];
        });
        for (let i = 0; i < m; i++) {
          const anchor = x[(start + i) * FEATURE_DIM + ANCHOR_INDEX] as number;
          const sorted = [q[i * 3] as number, q[i * 3 + 1] as number, q[i * 3 + 2] as number].sort((a, b) => a - b) as [
            number,
            number,
            number,
          ];
          const mid = sorted[1];
          out.p50[start + i] = Math.exp(anchor + mid);
          out.p10[start + i] = Math.exp(anchor + mid - meta.intervalScale * (mid - sorted[0]));
          out.p90[start + i] = Math.exp(anchor + mid + meta.intervalScale * (sorted[2] - mid));
          out.failureProb[start + i] = sigmoid(meta.platt.a * (logit[i] as number) + meta.platt.b);
        }
      }
      return out;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      duration.dispose();
      failure.dispose();
    },
  };
}

/** Standardizes the numeric block of `m` rows into a new array (hashed blocks are copied as is). */
export function standardize(meta: Pick<BundleMeta, 'mean' | 'std'>, x: Float32Array, m: number): Float32Array {
  const xs = new Float32Array(x);
  for (let i = 0; i < m; i++) {
    const o = i * FEATURE_DIM;
    for (let j = 0; j < NUMERIC_DIM; j++) xs[o + j] = ((xs[o + j] as number) - (meta.mean[j] as number)) / (meta.std[j] as number);
  }
  return xs;
}
