/**
 * Rolling statistics of one entity (a pool, a combination, a module, a module pair), updated in
 * event-time order with each finished build of that entity.
 */

/** How many recent durations are kept (the last-5 baseline reads them). */
export const LAST_N = 5;
/** Smoothing of the exponentially weighted averages. */
export const EWMA_ALPHA = 0.2;

/** Rolling statistics of one entity. */
export interface KeyStats {
  /** Finished builds seen. */
  n: number;
  /** Failures seen. */
  fails: number;
  ewmaLogDur: number;
  /** EWMA of the squared deviation of log-duration from its EWMA. */
  ewmaLogVar: number;
  ewmaFail: number;
  /** Last durations (ms), oldest first, at most {@link LAST_N}. */
  last: number[];
  /** Outcome of the previous build (1 failed, 0 passed). */
  prevFailed: number;
  /** Finish time of the last failure (ms), or -1. */
  lastFailAt: number;
  /** Finish time of the last build (ms). */
  lastAt: number;
}

/** A fresh, empty stats record. */
export function emptyStats(): KeyStats {
  return { n: 0, fails: 0, ewmaLogDur: 0, ewmaLogVar: 0, ewmaFail: 0, last: [], prevFailed: 0, lastFailAt: -1, lastAt: -1 };
}

/** Folds one finished build into `s`. `durationMs` may be NaN for entities that track failures only. */
export function updateStats(s: KeyStats, durationMs: number, failed: boolean, at: number): void {
  const f = failed ? 1 : 0;
  if (Number.isFinite(durationMs)) {
    const ld = Math.log(Math.max(1, durationMs));
    if (s.n === 0) {
      s.ewmaLogDur = ld;
      s.ewmaLogVar = 0;
    } else {
      const d = ld - s.ewmaLogDur;
      s.ewmaLogDur += EWMA_ALPHA * d;
      s.ewmaLogVar = (1 - EWMA_ALPHA) * (s.ewmaLogVar + EWMA_ALPHA * d * d);
    }
    s.last.push(durationMs);
    if (s.last.length > LAST_N) s.last.shift();
  }
  s.ewmaFail = s.n === 0 ? f : s.ewmaFail + EWMA_ALPHA * (f - s.ewmaFail);
  s.n += 1;
  s.fails += f;
  s.prevFailed = f;
  if (failed) s.lastFailAt = at;
  s.lastAt = at;
}

/** Failure rate smoothed towards `prior` with `weight` pseudo-builds (stable for rare entities). */
export function smoothedFailRate(s: KeyStats | undefined, prior: number, weight = 5): number {
  if (!s) return prior;
  return (s.fails + prior * weight) / (s.n + weight);
}

/** Median of a small array (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}
