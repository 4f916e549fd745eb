/**
 * Scores predictions against outcomes, beside the baselines computed on the same rows:
 * duration MAE (ms), median APE, p10–p90 coverage; failure PR-AUC, ROC-AUC, precision/recall/F1 at the
 * threshold, calibration error, log-loss.
 */
import type { Dataset } from '../features/dataset.js';
import type { BundleOutput } from '../nn/bundle.js';
import { calibrationError, classification, coverage, logLoss, mae, medianApe, prAuc, rocAuc } from './metrics.js';

/** Metrics of one predictor. */
export interface MetricSet {
  rows: number;
  duration_mae_ms: number;
  duration_median_ape: number;
  duration_interval_coverage: number;
  failure_pr_auc: number;
  failure_roc_auc: number;
  failure_precision: number;
  failure_recall: number;
  failure_f1: number;
  failure_calibration_error: number;
  failure_log_loss: number;
}

/** Model and baseline metrics on the same rows. */
export interface Comparison {
  model: MetricSet;
  baseline: MetricSet;
  /** 1 − model MAE / baseline MAE. */
  duration_mae_improvement: number;
  /** Model F1 − baseline F1. */
  failure_f1_gain: number;
}

/** Predictions aligned with `rows`. */
export interface RowPredictions extends BundleOutput {
  threshold: number;
  /** Per-row failure decisions (1 = predicted to fail) when thresholds differ by row (backtests). */
  decision?: Uint8Array;
}

function metricSet(
  actual: number[],
  labels: number[],
  p50: number[],
  lo: number[],
  hi: number[],
  prob: number[],
  threshold: number,
  decision?: number[],
): MetricSet {
  const c = decision ? classification(labels, decision, 0.5) : classification(labels, prob, threshold);
  return {
    rows: actual.length,
    duration_mae_ms: mae(actual, p50),
    duration_median_ape: medianApe(actual, p50),
    duration_interval_coverage: coverage(actual, lo, hi),
    failure_pr_auc: prAuc(labels, prob),
    failure_roc_auc: rocAuc(labels, prob),
    failure_precision: c.precision,
    failure_recall: c.recall,
    failure_f1: c.f1,
    failure_calibration_error: calibrationError(labels, prob),
    failure_log_loss: logLoss(labels, prob),
  };
}

/** Compares predictions `p` (aligned with `rows`) and the baselines on dataset rows. */
export function compare(ds: Dataset, rows: ArrayLike<number>, p: RowPredictions): Comparison {
  const actual: number[] = [];
  const labels: number[] = [];
  const b50: number[] = [];
  const blo: number[] = [];
  const bhi: number[] = [];
  const bfail: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    actual.push(ds.durationMs[r] as number);
    labels.push(ds.failed[r] as number);
    b50.push(ds.baseDurationMs[r] as number);
    blo.push(ds.baseLowMs[r] as number);
    bhi.push(ds.baseHighMs[r] as number);
    bfail.push(ds.baseFailed[r] as number);
  }
  const decision = p.decision ? Array.from(p.decision) : undefined;
  const model = metricSet(
    actual,
    labels,
    Array.from(p.p50),
    Array.from(p.p10),
    Array.from(p.p90),
    Array.from(p.failureProb),
    p.threshold,
    decision,
  );
  const baseline = metricSet(actual, labels, b50, blo, bhi, bfail, 0.5);
  return {
    model,
    baseline,
    duration_mae_improvement: 1 - model.duration_mae_ms / baseline.duration_mae_ms,
    failure_f1_gain: model.failure_f1 - baseline.failure_f1,
  };
}
