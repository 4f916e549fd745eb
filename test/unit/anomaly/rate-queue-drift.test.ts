import { describe, expect, it } from 'vitest';
import { upperTailSurprise } from '../../../processors/anomaly/detectors/binomial.js';
import { createDriftDetector } from '../../../processors/anomaly/detectors/drift-detector.js';
import { createRateDetector } from '../../../processors/anomaly/detectors/rate-detector.js';
import { createStuckQueueDetector } from '../../../processors/anomaly/detectors/stuck-queue.js';
import { createAlertLifecycle } from '../../../processors/anomaly/lifecycle.js';
import { createRng } from '../../../processors/anomaly/evaluation/rng.js';

const MIN = 60_000;

function binomial(rng: ReturnType<typeof createRng>, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rng.next() < p) k++;
  return k;
}

describe('binomial tail', () => {
  it('matches hand-computed values', () => {
    // P(X >= 2 | n=2, p=0.5) = 0.25 ; P(X >= 1 | n=3, p=0.1) = 1 - 0.9^3 = 0.271
    expect(upperTailSurprise(2, 2, 0.5)).toBeCloseTo(-Math.log10(0.25), 6);
    expect(upperTailSurprise(3, 1, 0.1)).toBeCloseTo(-Math.log10(0.271), 6);
    expect(upperTailSurprise(10, 0, 0.3)).toBe(0);
  });
});

describe('failure-burst detector', () => {
  function runFailures(perMinute: (m: number) => { n: number; p: number }, minutes: number, seed = 1) {
    const rng = createRng(seed);
    const d = createRateDetector({ kind: 'failure_burst', direction: 'up' });
    const lc = createAlertLifecycle();
    const fired: number[] = [];
    for (let m = 0; m < minutes; m++) {
      const { n, p } = perMinute(m);
      const hits = binomial(rng, n, p);
      const tr = lc.step(m * MIN, hits, d.update(m * MIN, { hits, total: n }));
      if (tr?.state === 'FIRING') fired.push(m);
    }
    return fired;
  }

  it('stays quiet at the usual failure rate, whatever the traffic', () => {
    expect(runFailures((m) => ({ n: m % 7 === 0 ? 40 : 3, p: 0.05 }), 600)).toEqual([]);
  });

  it('fires on a burst within a few minutes', () => {
    const fired = runFailures((m) => ({ n: 10, p: m >= 120 && m < 140 ? 0.5 : 0.05 }), 200);
    expect(fired.length).toBeGreaterThanOrEqual(1);
    expect(fired[0]).toBeGreaterThanOrEqual(120);
    expect(fired[0]).toBeLessThan(123);
  });

  it('does not call one failure in three runs a burst', () => {
    expect(runFailures((m) => ({ n: 3, p: m === 100 ? 0.34 : 0.05 }), 200)).toEqual([]);
  });
});

describe('cache hit-ratio drop', () => {
  it('fires when the hit ratio falls from 90 % to 60 %', () => {
    const rng = createRng(3);
    const d = createRateDetector({ kind: 'cache_drop', direction: 'down' });
    const lc = createAlertLifecycle();
    const fired: number[] = [];
    for (let m = 0; m < 200; m++) {
      const p = m >= 150 ? 0.6 : 0.9;
      const hits = binomial(rng, 30, p);
      const point = d.update(m * MIN, { hits, total: 30 });
      if (lc.step(m * MIN, hits / 30, point)?.state === 'FIRING') fired.push(m);
    }
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(150);
    expect(fired[0]).toBeLessThan(154);
  });
});

describe('stuck-queue detector', () => {
  it('fires when a busy pool has a queue but no starts or finishes, and not while it progresses', () => {
    const d = createStuckQueueDetector();
    const scores: number[] = [];
    for (let m = 0; m < 60; m++) scores.push(d.update(m * MIN, { depth: 3, started: 4, finished: 4 }).score);
    for (let m = 60; m < 66; m++) scores.push(d.update(m * MIN, { depth: 3 + m - 60, started: 0, finished: 0 }).score);
    expect(Math.max(...scores.slice(0, 60))).toBe(0);
    // 4 builds/min usually: one idle minute is suspicious, two are an alert.
    expect(scores[60]).toBeLessThan(0.5);
    expect(scores[61]).toBeGreaterThan(0.9);
  });

  it('an empty queue with no builds is idle, not stuck', () => {
    const d = createStuckQueueDetector();
    for (let m = 0; m < 30; m++) d.update(m * MIN, { depth: 1, started: 2, finished: 2 });
    for (let m = 30; m < 60; m++) expect(d.update(m * MIN, { depth: 0, started: 0, finished: 0 }).score).toBe(0);
  });
});

describe('prediction-drift detector', () => {
  it('stays quiet around the prediction and fires on a sustained 60 % bias', () => {
    const rng = createRng(5);
    const d = createDriftDetector();
    const scores: number[] = [];
    for (let i = 0; i < 200; i++) {
      const predicted = 60_000 + 30_000 * rng.next();
      const bias = i >= 150 ? 1.6 : 1;
      scores.push(d.update(i * MIN, predicted * bias * Math.exp(0.1 * rng.normal()), predicted).score);
    }
    expect(Math.max(...scores.slice(0, 150))).toBeLessThan(0.3);
    expect(Math.max(...scores.slice(150, 160))).toBeGreaterThan(0.9);
  });
});

describe('stuck-queue detector: starved executors', () => {
  it('fires in the first minute where executors with free slots sit next to a waiting queue, not while starts go on', () => {
    const d = createStuckQueueDetector();
    for (let m = 0; m < 30; m++)
      expect(d.update(m * MIN, { depth: 0, started: 1, finished: 1, starved: 0, samples: 12 }).score).toBeLessThan(0.01);
    // Builds still finish (running ones), nothing starts, 10 of 12 samples see a free slot and a queue.
    const stuck = d.update(30 * MIN, { depth: 2, started: 0, finished: 1, starved: 10, samples: 12 });
    expect(stuck.score).toBeGreaterThan(0.9);
    const busy = createStuckQueueDetector();
    for (let m = 0; m < 30; m++) busy.update(m * MIN, { depth: 0, started: 1, finished: 1, starved: 0, samples: 12 });
    // The same samples in a minute where builds started: the dispatcher works, the slots were just filled late.
    expect(busy.update(30 * MIN, { depth: 2, started: 2, finished: 1, starved: 10, samples: 12 }).score).toBeLessThan(0.01);
  });
});

describe('rate detector learning delay', () => {
  it('keeps a slowly building burst out of the baseline so it still alerts', () => {
    const run = (learnDelay: number, taint: number): { peak: number; expected: number } => {
      const rng = createRng(9);
      const d = createRateDetector({ kind: 'failure_burst', direction: 'up', prior: 0.02, centre: 2.8, floor: 0.01, learnDelay, taint });
      for (let m = 0; m < 60; m++) d.update(m * MIN, { hits: binomial(rng, 2, 0.01), total: 2 });
      let peak = 0;
      let expected = 0;
      // One failing build of two every other minute for twenty minutes.
      for (let m = 60; m < 80; m++) {
        const p = d.update(m * MIN, { hits: m % 2, total: 2 });
        peak = Math.max(peak, p.score);
        expected = p.expected;
      }
      return { peak, expected };
    };
    const delayed = run(5, 2);
    const immediate = run(0, 3.3);
    expect(delayed.peak).toBeGreaterThan(0.9);
    expect(delayed.expected).toBeLessThan(0.03);
    // Learning each minute at once (the mildly surprising first minutes included) drags the baseline up.
    expect(immediate.expected).toBeGreaterThan(2 * delayed.expected);
  });
});
