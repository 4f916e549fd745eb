/** Window alignment, watermark and lateness rules. */
import { describe, expect, it } from 'vitest';
import { classify, isExpired, watermark, windowStart } from '../../../processors/features/windows.js';

const policy = { watermarkDelayMs: 5_000, allowedLatenessMs: 60_000 };
const T = Date.UTC(2026, 0, 1, 10, 0, 0);

describe('windows', () => {
  it('aligns tumbling windows to the epoch', () => {
    expect(windowStart(T + 59_999, 60_000)).toBe(T);
    expect(windowStart(T + 60_000, 60_000)).toBe(T + 60_000);
    expect(windowStart(T + 299_999, 300_000)).toBe(T);
    expect(windowStart(T + 3_599_999, 3_600_000)).toBe(T);
  });

  it('derives the watermark from the highest event time minus the delay', () => {
    expect(watermark(T, policy)).toBe(T - 5_000);
    expect(watermark(-Infinity, policy)).toBe(-Infinity);
  });

  it('classifies on time while the minute is open, late within the lateness, too late beyond', () => {
    expect(classify(T + 1_000, -Infinity, policy)).toBe('on_time');
    expect(classify(T + 1_000, T + 59_999, policy)).toBe('on_time');
    expect(classify(T + 1_000, T + 60_000, policy)).toBe('late');
    expect(classify(T + 1_000, T + 119_999, policy)).toBe('late');
    expect(classify(T + 1_000, T + 120_000, policy)).toBe('too_late');
  });

  it('expires a window only when no event can still update it', () => {
    expect(isExpired(T, 300_000, T + 300_000 + 59_999, policy)).toBe(false);
    expect(isExpired(T, 300_000, T + 360_000, policy)).toBe(true);
    // An event in the last minute of a 5m window is late-but-accepted exactly as long as the 5m window lives.
    const t = T + 299_000;
    const wm = T + 359_999;
    expect(classify(t, wm, policy)).toBe('late');
    expect(isExpired(T, 300_000, wm, policy)).toBe(false);
  });
});
