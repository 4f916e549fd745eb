/**
 * The evaluation harness: runs the offline detector over every labelled series and reports
 * precision, recall, detection delay and false alarms per day, overall and per series.
 */
import type { DetectOptions } from '../offline/detect-series.js';
import { detectSeries } from '../offline/detect-series.js';
import type { LabelledSeries } from './generators.js';
import { mergeScores, scoreDetections, type DetectionScore } from './score-detections.js';

/** Summary numbers of a score. */
export interface EvaluationSummary {
  incidents: number;
  detected: number;
  alarms: number;
  falseAlarms: number;
  precision: number;
  recall: number;
  /** Detection delay in points (cadence steps) and ms. */
  delayPoints: { mean: number; p50: number; max: number };
  delayMs: { mean: number; p50: number; max: number };
  falseAlarmsPerDay: number;
  days: number;
  byType: DetectionScore['byType'];
}

/** The harness result. */
export interface EvaluationReport {
  overall: EvaluationSummary;
  series: Array<{ name: string } & EvaluationSummary>;
}

function stats(xs: number[]): { mean: number; p50: number; max: number } {
  if (xs.length === 0) return { mean: 0, p50: 0, max: 0 };
  const s = [...xs].sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 100) / 100;
  return { mean: r(s.reduce((a, b) => a + b, 0) / s.length), p50: r(s[s.length >> 1] ?? 0), max: r(s[s.length - 1] ?? 0) };
}

function summarise(s: DetectionScore, delayPoints: number[]): EvaluationSummary {
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    incidents: s.incidents,
    detected: s.detected,
    alarms: s.alarms,
    falseAlarms: s.falseAlarms,
    precision: s.alarms === 0 ? 1 : r(s.truePositiveAlarms / s.alarms),
    recall: s.incidents === 0 ? 1 : r(s.detected / s.incidents),
    delayPoints: stats(delayPoints),
    delayMs: stats(s.delaysMs),
    falseAlarmsPerDay: s.days === 0 ? 0 : r(s.falseAlarms / s.days),
    days: r(s.days),
    byType: s.byType,
  };
}

/** Evaluates the detector on `set`. `graceSteps` cadence steps after an incident still count as detection (default 12). */
export function evaluateSet(
  set: readonly LabelledSeries[],
  options: DetectOptions & { graceSteps?: number; progress?: (m: string) => void } = {},
): EvaluationReport {
  const grace = options.graceSteps ?? 12;
  const scores: DetectionScore[] = [];
  const allDelayPoints: number[] = [];
  const series: EvaluationReport['series'] = [];
  for (const s of set) {
    const { transitions } = detectSeries(s.points, options);
    const firings = transitions.filter((x) => x.state === 'FIRING').map((x) => x.at);
    const last = s.points[s.points.length - 1]?.t ?? s.learnUntil;
    const score = scoreDetections(firings, s.incidents, { from: s.learnUntil, to: last, graceMs: grace * s.cadenceMs });
    const delayPoints = score.delaysMs.map((d) => d / s.cadenceMs);
    allDelayPoints.push(...delayPoints);
    scores.push(score);
    series.push({ name: s.name, ...summarise(score, delayPoints) });
    options.progress?.(`${s.name}: ${score.detected}/${score.incidents} detected, ${score.falseAlarms} false alarms`);
  }
  return { overall: summarise(mergeScores(scores), allDelayPoints), series };
}
