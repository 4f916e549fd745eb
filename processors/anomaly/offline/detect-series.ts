/**
 * Offline detection: runs the streaming series detector and alert lifecycle over rows in event-time
 * order (stable for equal times) and reports one result per row in the original row order.
 */
import { createSeriesDetector, type SeriesDetectorOptions } from '../detectors/series-detector.js';
import { round4 } from '../detectors/score.js';
import { createAlertLifecycle, type AlertTransition, type LifecycleOptions } from '../lifecycle.js';

/** One output row of `pulse detect`. */
export interface DetectedRow {
  timestamp: number | string;
  value: number;
  score: number;
  /** True while an alert is firing for the series at this row. */
  alert: boolean;
}

/** Rows plus the alert transitions (with the row index that caused each). */
export interface DetectResult {
  rows: DetectedRow[];
  transitions: Array<AlertTransition & { row: number }>;
}

/** Options: detector and lifecycle tuning. */
export interface DetectOptions {
  detector?: SeriesDetectorOptions;
  lifecycle?: LifecycleOptions;
}

/** Scores rows `{ t, value, timestamp }` (ms event time) without look-ahead. */
export function detectSeries(
  input: ReadonlyArray<{ t: number; value: number; timestamp?: number | string }>,
  options: DetectOptions = {},
): DetectResult {
  const order = input.map((_, i) => i);
  let sorted = true;
  for (let i = 1; i < input.length; i++) if ((input[i]?.t ?? 0) < (input[i - 1]?.t ?? 0)) sorted = false;
  if (!sorted) order.sort((a, b) => (input[a]?.t ?? 0) - (input[b]?.t ?? 0) || a - b);
  const detector = createSeriesDetector(options.detector);
  const lifecycle = createAlertLifecycle(options.lifecycle);
  const rows: DetectedRow[] = new Array<DetectedRow>(input.length);
  const transitions: DetectResult['transitions'] = [];
  for (const i of order) {
    const r = input[i];
    if (!r) continue;
    const point = detector.update(r.t, r.value);
    const tr = lifecycle.step(r.t, r.value, point);
    if (tr) transitions.push({ ...tr, row: i });
    rows[i] = { timestamp: r.timestamp ?? r.t, value: r.value, score: round4(point.score), alert: lifecycle.firing };
  }
  return { rows, transitions };
}
