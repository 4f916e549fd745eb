/**
 * Scores alert firings against ground truth: an incident is detected by the first firing in
 * [start, end + grace]; a firing outside every such interval is a false alarm.
 */
import type { Incident } from './generators.js';

/** Counts and delays for one or more series. */
export interface DetectionScore {
  incidents: number;
  detected: number;
  alarms: number;
  truePositiveAlarms: number;
  falseAlarms: number;
  /** Detection delays in ms (one per detected incident). */
  delaysMs: number[];
  /** Event-time span scored, in days. */
  days: number;
  /** Detected / missed incidents by type. */
  byType: Record<string, { incidents: number; detected: number }>;
}

/** Compares firing times (`at`, ms) with incidents; alarms before `from` are ignored. */
export function scoreDetections(
  firings: readonly number[],
  incidents: readonly Incident[],
  window: { from: number; to: number; graceMs: number },
): DetectionScore {
  const alarms = firings.filter((t) => t >= window.from && t <= window.to);
  const inWindow = (t: number, i: Incident): boolean => t >= i.start && t <= i.end + window.graceMs;
  const byType: DetectionScore['byType'] = {};
  const delaysMs: number[] = [];
  let detected = 0;
  for (const inc of incidents) {
    const entry = (byType[inc.type] ??= { incidents: 0, detected: 0 });
    entry.incidents++;
    const first = alarms.find((t) => inWindow(t, inc));
    if (first !== undefined) {
      detected++;
      entry.detected++;
      delaysMs.push(first - inc.start);
    }
  }
  const truePositiveAlarms = alarms.filter((t) => incidents.some((i) => inWindow(t, i))).length;
  return {
    incidents: incidents.length,
    detected,
    alarms: alarms.length,
    truePositiveAlarms,
    falseAlarms: alarms.length - truePositiveAlarms,
    delaysMs,
    days: Math.max(0, window.to - window.from) / 86_400_000,
    byType,
  };
}

/** Sums several scores. */
export function mergeScores(scores: readonly DetectionScore[]): DetectionScore {
  const out: DetectionScore = {
    incidents: 0,
    detected: 0,
    alarms: 0,
    truePositiveAlarms: 0,
    falseAlarms: 0,
    delaysMs: [],
    days: 0,
    byType: {},
  };
  for (const s of scores) {
    out.incidents += s.incidents;
    out.detected += s.detected;
    out.alarms += s.alarms;
    out.truePositiveAlarms += s.truePositiveAlarms;
    out.falseAlarms += s.falseAlarms;
    out.delaysMs.push(...s.delaysMs);
    out.days += s.days;
    for (const [k, v] of Object.entries(s.byType)) {
      const e = (out.byType[k] ??= { incidents: 0, detected: 0 });
      e.incidents += v.incidents;
      e.detected += v.detected;
    }
  }
  return out;
}
