/**
 * Turns history into a training/evaluation dataset: one row per non-cancelled build with its
 * feature vector (computed by {@link replayHistory} before the build starts), its targets and the
 * baselines' predictions from the same state.
 */
import { baselinePrediction } from './baselines.js';
import { replayHistory } from './replay.js';
import { FEATURE_DIM, writeFeatures } from './vector.js';
import { isFailure, type HistoryRecord } from './types.js';
import type { HistoryState } from './history-state.js';

/** Rows of features, targets and baseline predictions, in start order. */
export interface Dataset {
  n: number;
  /** Row-major features, n × FEATURE_DIM. */
  x: Float32Array;
  durationMs: Float64Array;
  failed: Uint8Array;
  startedAt: Float64Array;
  finishedAt: Float64Array;
  pool: string[];
  buildId: string[];
  baseDurationMs: Float64Array;
  baseLowMs: Float64Array;
  baseHighMs: Float64Array;
  baseFailed: Uint8Array;
}

/** Options of {@link buildDataset}. */
export interface BuildDatasetOptions {
  state?: HistoryState;
  onProgress?: (done: number, total: number) => void;
}

/** Replays `records` (sorted by start) into a dataset. */
export function buildDataset(records: readonly HistoryRecord[], options: BuildDatasetOptions = {}): Dataset {
  const cap = records.filter((r) => r.status !== 'CANCELLED').length;
  const ds: Dataset = {
    n: 0,
    x: new Float32Array(cap * FEATURE_DIM),
    durationMs: new Float64Array(cap),
    failed: new Uint8Array(cap),
    startedAt: new Float64Array(cap),
    finishedAt: new Float64Array(cap),
    pool: new Array<string>(cap),
    buildId: new Array<string>(cap),
    baseDurationMs: new Float64Array(cap),
    baseLowMs: new Float64Array(cap),
    baseHighMs: new Float64Array(cap),
    baseFailed: new Uint8Array(cap),
  };
  replayHistory(records, {
    ...(options.state ? { state: options.state } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    visit(r, input, state) {
      if (r.status === 'CANCELLED') return;
      const i = ds.n++;
      writeFeatures(state, input, ds.x, i * FEATURE_DIM);
      const b = baselinePrediction(state, input);
      ds.durationMs[i] = r.duration_ms;
      ds.failed[i] = isFailure(r.status) ? 1 : 0;
      ds.startedAt[i] = r.started_at;
      ds.finishedAt[i] = r.started_at + r.duration_ms;
      ds.pool[i] = r.pool;
      ds.buildId[i] = r.build_id;
      ds.baseDurationMs[i] = b.durationMs;
      ds.baseLowMs[i] = b.lowMs;
      ds.baseHighMs[i] = b.highMs;
      ds.baseFailed[i] = b.failed;
    },
  });
  return ds;
}
