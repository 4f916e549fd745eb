/** Human-readable tables of model-vs-baseline metrics for the CLI. */
import { table } from '../common/cli/output.js';
import type { Comparison, MetricSet } from './eval/evaluate.js';

const ROWS: [keyof MetricSet, string, (v: number) => string][] = [
  ['duration_mae_ms', 'duration MAE (ms)', (v) => v.toFixed(0)],
  ['duration_median_ape', 'duration median APE', (v) => `${(v * 100).toFixed(1)} %`],
  ['duration_interval_coverage', 'p10–p90 coverage', (v) => `${(v * 100).toFixed(1)} %`],
  ['failure_pr_auc', 'failure PR-AUC', (v) => v.toFixed(3)],
  ['failure_roc_auc', 'failure ROC-AUC', (v) => v.toFixed(3)],
  ['failure_precision', 'failure precision', (v) => v.toFixed(3)],
  ['failure_recall', 'failure recall', (v) => v.toFixed(3)],
  ['failure_f1', 'failure F1', (v) => v.toFixed(3)],
  ['failure_calibration_error', 'calibration error', (v) => v.toFixed(3)],
];

/** Model vs baseline table. */
export function comparisonText(c: Comparison): string {
  const rows: (string | number)[][] = [['metric', 'model', 'baseline']];
  for (const [k, label, f] of ROWS) rows.push([label, f(c.model[k]), f(c.baseline[k])]);
  rows.push(['rows', c.model.rows, c.baseline.rows]);
  return `${table(rows)}\nduration MAE ${(c.duration_mae_improvement * 100).toFixed(1)} % lower than the last-5 median; failure F1 ${c.failure_f1_gain >= 0 ? '+' : ''}${c.failure_f1_gain.toFixed(3)} vs previous outcome`;
}
