import { describe, expect, it } from 'vitest';
import type { PointScore } from '../../../processors/anomaly/detectors/score.js';
import { createAlertLifecycle, severityOf } from '../../../processors/anomaly/lifecycle.js';

const p = (score: number, kind: PointScore['kind'] = 'spike'): PointScore => ({
  score,
  kind,
  expected: 0,
  expectedLow: -1,
  expectedHigh: 1,
  components: { [kind]: score },
});

function run(scores: number[]) {
  const lc = createAlertLifecycle();
  return scores.map((s, i) => lc.step(i, s, p(s))?.state ?? (lc.firing ? 'firing' : '-'));
}

describe('alert lifecycle (hysteresis)', () => {
  it('fires after k=2 points above 0.7, or at once above 0.9', () => {
    expect(run([0.1, 0.75, 0.1, 0.75, 0.8])).toEqual(['-', '-', '-', '-', 'FIRING']);
    expect(run([0.1, 0.95])).toEqual(['-', 'FIRING']);
  });

  it('stays firing between the thresholds and resolves after m=3 points below 0.3', () => {
    expect(run([0.95, 0.5, 0.2, 0.2, 0.5, 0.2, 0.2, 0.2, 0.1])).toEqual([
      'FIRING',
      'firing',
      'firing',
      'firing',
      'firing',
      'firing',
      'firing',
      'RESOLVED',
      '-',
    ]);
  });

  it('deduplicates: repeated high scores while firing raise no second alert', () => {
    const states = run([0.95, 0.99, 0.97, 1, 0.96, 0.98]);
    expect(states.filter((s) => s === 'FIRING')).toHaveLength(1);
  });

  it('keeps the detector and start of the firing streak, and reports the peak score on resolve', () => {
    const lc = createAlertLifecycle();
    expect(lc.step(10, 0, p(0.75, 'level_shift'))).toBeUndefined();
    const fired = lc.step(11, 0, p(0.8, 'level_shift'));
    expect(fired).toMatchObject({ state: 'FIRING', detector: 'level_shift', startedAt: 10, at: 11 });
    lc.step(12, 0, p(0.99, 'spike'));
    lc.step(13, 0, p(0.1));
    lc.step(14, 0, p(0.1));
    const resolved = lc.step(15, 0, p(0.1));
    expect(resolved).toMatchObject({
      state: 'RESOLVED',
      detector: 'level_shift',
      startedAt: 10,
      at: 15,
      peakScore: 0.99,
      severity: 'CRITICAL',
      points: 5,
    });
  });

  it('maps peak scores to severities', () => {
    expect([severityOf(0.75), severityOf(0.9), severityOf(0.99)]).toEqual(['INFO', 'WARNING', 'CRITICAL']);
  });
});
