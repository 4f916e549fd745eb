import { describe, expect, it } from 'vitest';
import { fitIntervalScale, fitPlatt, sigmoid } from '../../../models/nn/calibration.js';
import {
  bestF1Threshold,
  calibrationError,
  classification,
  coverage,
  logLoss,
  mae,
  medianApe,
  prAuc,
  rocAuc,
} from '../../../models/eval/metrics.js';
import { decideChampion } from '../../../models/eval/champion.js';
import type { Comparison, MetricSet } from '../../../models/eval/evaluate.js';
import { rng } from './helpers/synthetic-history.js';

describe('metrics (hand-computed cases)', () => {
  it('MAE, median APE and coverage', () => {
    expect(mae([1, 2, 3], [2, 2, 5])).toBeCloseTo(1);
    expect(medianApe([10, 20, 40], [11, 18, 20])).toBeCloseTo(0.1);
    expect(medianApe([10, 20], [11, 30])).toBeCloseTo(0.3); // (0.1 + 0.5) / 2
    expect(coverage([5, 10, 15, 20], [4, 11, 10, 0], [6, 12, 15, 19])).toBeCloseTo(0.5);
  });

  it('ROC-AUC counts ordered pairs, ties as one half', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75);
    expect(rocAuc([0, 1], [0.5, 0.5])).toBeCloseTo(0.5);
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
  });

  it('PR-AUC is the average precision', () => {
    // Ranked: 0.8 (+), 0.4 (−), 0.35 (+), 0.1 (−): AP = 0.5·1 + 0.5·(2/3).
    expect(prAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(5 / 6);
    // A binary score with ties: threshold 1 gives P = 1/2, R = 1/2; threshold 0 gives P = 2/4, R = 1.
    expect(prAuc([1, 0, 1, 0], [1, 1, 0, 0])).toBeCloseTo(0.5 * 0.5 + 0.5 * 0.5);
  });

  it('precision, recall, F1, best threshold', () => {
    const c = classification([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.5);
    expect(c.precision).toBeCloseTo(1);
    expect(c.recall).toBeCloseTo(0.5);
    expect(c.f1).toBeCloseTo(2 / 3);
    expect(bestF1Threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], [0.3, 0.5])).toBe(0.3); // F1 0.8 vs 0.667
  });

  it('calibration error and log-loss', () => {
    expect(calibrationError([0, 0, 1, 1], [0.05, 0.05, 0.95, 0.95])).toBeCloseTo(0.05);
    expect(logLoss([1, 0], [0.5, 0.5])).toBeCloseTo(Math.log(2));
  });

  it('Platt scaling recovers a known logistic relation', () => {
    const r = rng(5);
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const z = r() * 8 - 4;
      x.push(z);
      y.push(r() < sigmoid(0.5 * z - 1) ? 1 : 0);
    }
    const p = fitPlatt(x, y);
    expect(p.a).toBeCloseTo(0.5, 1);
    expect(p.b).toBeCloseTo(-1, 1);
  });

  it('interval scale widens until the target coverage', () => {
    const actual = [0, 2, -2, 3];
    expect(fitIntervalScale(actual, [-1, -1, -1, -1], [0, 0, 0, 0], [1, 1, 1, 1], 0.75)).toBeCloseTo(2);
  });
});

function comparison(mae: number, loss: number): Comparison {
  const m = { duration_mae_ms: mae, failure_log_loss: loss } as MetricSet;
  return { model: m, baseline: m, duration_mae_improvement: 0, failure_f1_gain: 0 };
}

describe('champion/challenger', () => {
  it('promotes without a champion', () => {
    expect(decideChampion(comparison(100, 0.3), undefined).promote).toBe(true);
  });
  it('promotes on a net improvement and refuses a regression', () => {
    expect(decideChampion(comparison(90, 0.3), comparison(100, 0.3)).promote).toBe(true);
    expect(decideChampion(comparison(100, 0.3), comparison(100, 0.3)).promote).toBe(false);
    expect(decideChampion(comparison(80, 0.4), comparison(100, 0.3)).promote).toBe(false);
  });
});
