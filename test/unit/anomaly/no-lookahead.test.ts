import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectSeries } from '../../../processors/anomaly/offline/detect-series.js';

const T0 = Date.UTC(2026, 0, 5);

/** Rows with strictly increasing timestamps and values from an arbitrary walk (spikes, steps, flats). */
const rowsArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 600_000 }), fc.oneof(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.constant(0))), {
    minLength: 2,
    maxLength: 400,
  })
  .map((steps) => {
    let t = T0;
    let v = 50;
    return steps.map(([dt, dv]) => {
      t += dt;
      v = dv === 0 ? v : v + dv / 100;
      return { t, value: v };
    });
  });

describe('no look-ahead', () => {
  it('the scores and alerts of the first k rows do not change when rows are appended', () => {
    fc.assert(
      fc.property(rowsArb, fc.nat(), (rows, kSeed) => {
        const k = 1 + (kSeed % rows.length);
        const all = detectSeries(rows).rows;
        const prefix = detectSeries(rows.slice(0, k)).rows;
        expect(prefix).toEqual(all.slice(0, k));
      }),
      { numRuns: 150 },
    );
  });

  it('holds for unsorted input too: a row is scored from rows earlier in event time only', () => {
    fc.assert(
      fc.property(rowsArb, fc.nat(), (rows, kSeed) => {
        const k = 1 + (kSeed % rows.length);
        // Shuffle deterministically, then append later-in-time rows: earlier rows keep their scores.
        const head = rows.slice(0, k).reverse();
        const full = [...head, ...rows.slice(k)];
        const a = detectSeries(head).rows;
        const b = detectSeries(full).rows.slice(0, k);
        expect(b).toEqual(a);
      }),
      { numRuns: 100 },
    );
  });

  it('every score is within [0, 1]', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        for (const r of detectSeries(rows).rows) {
          expect(r.score).toBeGreaterThanOrEqual(0);
          expect(r.score).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 100 },
    );
  });
});
