import { describe, expect, it } from 'vitest';
import { createSeriesDetector } from '../../../processors/anomaly/detectors/series-detector.js';
import { detectSeries } from '../../../processors/anomaly/offline/detect-series.js';
import { MINUTE, series, T0 } from './series-helpers.js';

const firings = (rows: ReturnType<typeof series>) => detectSeries(rows).transitions.filter((t) => t.state === 'FIRING');

describe('series detector: anomaly types', () => {
  it('a quiet noisy series raises no alert', () => {
    expect(firings(series(3000, { seed: 2 }))).toHaveLength(0);
  });

  it('fires a spike at the spiking point and labels it', () => {
    const rows = series(400, { seed: 3 }, (i, v) => (i === 300 ? v + 20 : v));
    const f = firings(rows);
    expect(f).toHaveLength(1);
    expect(f[0]?.row).toBe(300);
    expect(f[0]?.detector).toBe('spike');
    expect(f[0]?.point.expectedHigh).toBeLessThan(rows[300]!.value);
  });

  it('fires a dip', () => {
    const f = firings(series(400, { seed: 4 }, (i, v) => (i === 250 ? v - 20 : v)));
    expect(f.map((x) => [x.row, x.detector])).toEqual([[250, 'dip']]);
  });

  it('detects a level shift within a few points, then adapts (re-baselines) and resolves', () => {
    const rows = series(600, { seed: 5 }, (i, v) => (i >= 300 ? v + 8 : v));
    const { transitions, rows: out } = detectSeries(rows);
    const fired = transitions.filter((t) => t.state === 'FIRING');
    expect(fired).toHaveLength(1);
    expect(fired[0]!.row).toBeGreaterThanOrEqual(300);
    expect(fired[0]!.row).toBeLessThanOrEqual(310); // a 4σ shift: within ten points
    const resolved = transitions.filter((t) => t.state === 'RESOLVED');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]!.row).toBeLessThan(330);
    // The new level is normal now: no alert and low scores for the rest of the series.
    expect(out.slice(340).every((r) => !r.alert && r.score < 0.5)).toBe(true);
  });

  it('counts the re-baseline after a confirmed change', () => {
    const d = createSeriesDetector();
    series(500, { seed: 6 }, (i, v) => (i >= 250 ? v - 10 : v)).forEach((p) => d.update(p.t, p.value));
    expect(d.rebaselines).toBeGreaterThanOrEqual(1);
  });

  it('detects a variance change (noise burst)', () => {
    const f = firings(series(600, { seed: 7 }, (i, v) => (i >= 300 && i < 330 ? 100 + (v - 100) * 6 : v)));
    expect(f.length).toBeGreaterThanOrEqual(1);
    expect(f[0]!.row).toBeGreaterThanOrEqual(300);
    expect(f[0]!.row).toBeLessThan(330);
  });

  it('detects a flatlined (stuck) metric', () => {
    const rows = series(500, { seed: 8 }, (i, v) => (i >= 300 && i < 360 ? 101.5 : v));
    const f = firings(rows);
    expect(f.length).toBeGreaterThanOrEqual(1);
    expect(f[0]!.detector).toBe('flatline');
    expect(f[0]!.row).toBeGreaterThanOrEqual(300);
    expect(f[0]!.row).toBeLessThan(312);
  });

  it('a trend change is flagged within a few dozen points, then followed', () => {
    const { transitions, rows: out } = detectSeries(series(800, { seed: 9 }, (i, v) => (i >= 300 ? v + (i - 300) * 0.6 : v)));
    const f = transitions.filter((t) => t.state === 'FIRING');
    expect(f.length).toBeGreaterThanOrEqual(1);
    expect(f[0]!.row).toBeGreaterThan(300);
    expect(f[0]!.row).toBeLessThan(330);
    // The detector learns the new slope instead of alerting forever.
    expect(out.slice(500).some((r) => r.alert)).toBe(false);
  });

  it('the direction option ignores dips when only spikes matter', () => {
    const rows = series(400, { seed: 10 }, (i, v) => (i === 300 ? v - 30 : v));
    const { transitions } = detectSeries(rows, { detector: { direction: 'up' } });
    expect(transitions).toHaveLength(0);
  });
});

describe('series detector: seasonality', () => {
  /** A smooth daily curve: trough at midnight, peak (+24 = 16σ) at noon. */
  const daily = (seed: number, days: number, cadenceMinutes: number, extra: (i: number) => number = () => 0) =>
    series((days * 1440) / cadenceMinutes, { seed, cadenceMs: cadenceMinutes * MINUTE, sigma: 1.5 }, (i, v) => {
      const hour = ((T0 + i * cadenceMinutes * MINUTE) % 86_400_000) / 3_600_000;
      return v + 12 * (1 - Math.cos((hour / 24) * 2 * Math.PI)) + extra(i);
    });

  it.each([1, 5, 60])('a normal daily peak is not an alert (cadence %i min, 7 days)', (cadence) => {
    const rows = daily(11, 7, cadence);
    expect(Math.max(...rows.map((r) => r.value)) - Math.min(...rows.map((r) => r.value))).toBeGreaterThan(20);
    expect(detectSeries(rows).transitions).toHaveLength(0);
  });

  it('a spike at the daily trough fires, though it stays below the daily peak', () => {
    const k = 4 * 288 + 12; // day 5, 01:00
    const rows = daily(12, 5, 5, (i) => (i === k ? 20 : 0));
    const f = detectSeries(rows).transitions.filter((t) => t.state === 'FIRING');
    expect(f.map((x) => x.row)).toEqual([k]);
    expect(rows[k]!.value).toBeLessThan(Math.max(...rows.map((r) => r.value)));
  });
});
