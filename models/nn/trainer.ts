/**
 * Trains a {@link ModelBundle} on dataset rows: networks on the earlier 85 % (in start order),
 * Platt scaling, the F1-optimal threshold and the interval width on the later 15 %.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../features/dataset.js';
import { ANCHOR_INDEX, FEATURE_DIM, FEATURE_VERSION, NUMERIC_DIM } from '../features/vector.js';
import { bestF1Threshold } from '../eval/metrics.js';
import { createBundle, standardize, type BundleMeta, type ModelBundle } from './bundle.js';
import { fitIntervalScale, fitPlatt, sigmoid } from './calibration.js';
import { durationNet, failureNet } from './networks.js';

/** Options of {@link trainBundle}. */
export interface TrainOptions {
  version: string;
  backend: string;
  epochs?: number;
  batchSize?: number;
  /** Share of the rows (the latest) kept for calibration. */
  calibrationShare?: number;
  seed?: number;
  /** Called after each epoch of each network. */
  onEpoch?: (network: 'duration' | 'failure', epoch: number, epochs: number, loss: number) => void;
  now?: () => number;
}

/** Copies the chosen rows of the dataset into one array. */
export function gatherRows(ds: Dataset, rows: ArrayLike<number>): Float32Array {
  const x = new Float32Array(rows.length * FEATURE_DIM);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    x.set(ds.x.subarray(r * FEATURE_DIM, (r + 1) * FEATURE_DIM), i * FEATURE_DIM);
  }
  return x;
}

function fitStandardizer(x: Float32Array, n: number): { mean: number[]; std: number[] } {
  const mean = new Array<number>(NUMERIC_DIM).fill(0);
  const sq = new Array<number>(NUMERIC_DIM).fill(0);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < NUMERIC_DIM; j++) {
      const v = x[i * FEATURE_DIM + j] as number;
      mean[j] = (mean[j] as number) + v;
      sq[j] = (sq[j] as number) + v * v;
    }
  const std = mean.map((s, j) => {
    const m = s / Math.max(1, n);
    mean[j] = m;
    const v = (sq[j] as number) / Math.max(1, n) - m * m;
    return v > 1e-12 ? Math.sqrt(v) : 1;
  });
  return { mean, std };
}

/** Trains both networks on `rows` (indices into `ds`, in start order). */
export async function trainBundle(ds: Dataset, rows: ArrayLike<number>, options: TrainOptions): Promise<ModelBundle> {
  const epochs = options.epochs ?? 6;
  const batchSize = options.batchSize ?? 256;
  const n = rows.length;
  const nCal = Math.max(1, Math.floor(n * (options.calibrationShare ?? 0.15)));
  const nFit = n - nCal;
  const raw = gatherRows(ds, rows);
  const { mean, std } = fitStandardizer(raw, nFit);
  const xs = standardize({ mean, std }, raw, n);
  const residual = new Float32Array(n * 3);
  const failed = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i] as number;
    const y = Math.log(Math.max(1, ds.durationMs[r] as number)) - (raw[i * FEATURE_DIM + ANCHOR_INDEX] as number);
    residual.fill(y, i * 3, i * 3 + 3);
    failed[i] = ds.failed[r] as number;
  }
  const seed = options.seed ?? 7;
  const duration = durationNet(FEATURE_DIM, seed);
  const failure = failureNet(FEATURE_DIM, seed + 10);
  const xFit = tf.tensor2d(xs.subarray(0, nFit * FEATURE_DIM), [nFit, FEATURE_DIM]);
  const yDur = tf.tensor2d(residual.subarray(0, nFit * 3), [nFit, 3]);
  const yFail = tf.tensor2d(failed.subarray(0, nFit), [nFit, 1]);
  try {
    for (const [name, net, y] of [
      ['duration', duration, yDur],
      ['failure', failure, yFail],
    ] as const)
      await net.fit(xFit, y, {
        epochs,
        batchSize,
        shuffle: true,
        verbose: 0,
        callbacks: { onEpochEnd: (epoch, logs) => options.onEpoch?.(name, epoch + 1, epochs, logs?.loss ?? NaN) },
      });
  } finally {
    xFit.dispose();
    yDur.dispose();
    yFail.dispose();
  }

  // Calibration on the latest rows, which the networks did not see.
  const [q, logits] = tf.tidy(() => {
    const t = tf.tensor2d(xs.subarray(nFit * FEATURE_DIM), [nCal, FEATURE_DIM]);
    return [
      (duration.predict(t, { batchSize: 4096 }) as tf.Tensor).dataSync(),
      (failure.predict(t, { batchSize: 4096 }) as tf.Tensor).dataSync(),
    ];
  });
  const yCal = failed.subarray(nFit);
  const platt = fitPlatt(logits, yCal);
  const probs = Array.from(logits, (z) => sigmoid(platt.a * z + platt.b));
  const lo: number[] = [];
  const mid: number[] = [];
  const hi: number[] = [];
  const actual: number[] = [];
  for (let i = 0; i < nCal; i++) {
    const s = [q[i * 3] as number, q[i * 3 + 1] as number, q[i * 3 + 2] as number].sort((a, b) => a - b);
    lo.push(s[0] as number);
    mid.push(s[1] as number);
    hi.push(s[2] as number);
    actual.push(residual[(nFit + i) * 3] as number);
  }
  let from = Infinity;
  let to = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = ds.startedAt[rows[i] as number] as number;
    if (t < from) from = t;
    if (t > to) to = t;
  }
  const meta: BundleMeta = {
    version: options.version,
    featureVersion: FEATURE_VERSION,
    featureDim: FEATURE_DIM,
    mean,
    std,
    platt,
    threshold: bestF1Threshold(yCal, probs),
    intervalScale: fitIntervalScale(actual, lo, mid, hi, 0.8),
    trainedRows: n,
    trainFromMs: from,
    trainToMs: to,
    backend: options.backend,
    createdAtMs: (options.now ?? Date.now)(),
  };
  return createBundle(meta, duration, failure);
}
