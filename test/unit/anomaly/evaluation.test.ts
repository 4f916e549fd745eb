import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEvaluationSet, writeEvaluationSet } from '../../../processors/anomaly/evaluation/eval-set-files.js';
import { evaluateSet } from '../../../processors/anomaly/evaluation/evaluate.js';
import { generateEvaluationSet } from '../../../processors/anomaly/evaluation/generators.js';
import { scoreDetections } from '../../../processors/anomaly/evaluation/score-detections.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('evaluation harness', () => {
  it('scores detections: detection, delay, false alarms', () => {
    const s = scoreDetections([100, 500, 900], [{ type: 'spike', start: 480, end: 480 }], { from: 0, to: 86_400_000, graceMs: 50 });
    expect(s).toMatchObject({ incidents: 1, detected: 1, alarms: 3, truePositiveAlarms: 1, falseAlarms: 2, delaysMs: [20], days: 1 });
  });

  it('the generated set is deterministic for a seed and labelled after the learning day', () => {
    const a = generateEvaluationSet({ seed: 4, days: 3 });
    expect(generateEvaluationSet({ seed: 4, days: 3 })).toEqual(a);
    for (const s of a) for (const i of s.incidents) expect(i.start).toBeGreaterThanOrEqual(s.learnUntil);
    expect(new Set(a.flatMap((s) => s.incidents.map((i) => i.type)))).toEqual(
      new Set(['spike', 'dip', 'level_shift', 'trend_change', 'noise_burst', 'flatline']),
    );
  });

  it('round-trips through files and reaches useful precision and recall', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-eval-'));
    dirs.push(dir);
    writeEvaluationSet(dir, generateEvaluationSet({ seed: 2, days: 4 }), 2);
    const { series } = readEvaluationSet(dir);
    const report = evaluateSet(series);
    expect(report.overall.incidents).toBeGreaterThan(20);
    expect(report.overall.recall).toBeGreaterThanOrEqual(0.8);
    expect(report.overall.precision).toBeGreaterThanOrEqual(0.8);
    // Quiet series raise nothing.
    for (const s of report.series.filter((x) => x.name.startsWith('quiet'))) expect(s.alarms).toBe(0);
  });

  it('names the problem in a broken labels file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-eval-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'labels.json'), '{"version":1,"series":[{"file":"x.csv"}]}');
    expect(() => readEvaluationSet(dir)).toThrow(/series\[0\] needs file, cadenceMs > 0 and incidents/);
  });
});
