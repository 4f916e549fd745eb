/**
 * Proportion detector for per-minute counts (non-flaky failures among executed tests/builds, cache
 * hits among lookups). Learns the usual proportion slowly, then asks, over the last 1, 3, 5 and 10
 * minutes (and 20), how unlikely the observed count is under it (exact binomial tail, −log10 p, with a small
 * allowance for over-dispersion and a penalty for looking at several windows). So one failure among
 * three runs is no burst, but seven among ten is — whatever the traffic of the entity.
 * `direction: 'up'` finds bursts (failure rate, share of slow lookups), `'down'` drops (cache hit ratio).
 */
import { upperTailSurprise } from './binomial.js';
import { combine, sigmoid, type DetectorKind, type PointScore } from './score.js';

/** Options of {@link createRateDetector}. */
export interface RateDetectorOptions {
  kind: Extract<DetectorKind, 'failure_burst' | 'cache_drop' | 'latency_burst' | 'stuck_queue'>;
  direction: 'up' | 'down';
  /** Proportion assumed before anything is learned (default 0.05 up, 0.8 down). */
  prior?: number;
  /** Windows (minutes) scored each minute (default 1, 3, 5, 10, 20). */
  windows?: readonly number[];
  /** Baseline learning rate per minute (default 0.01). */
  alpha?: number;
  /** Minutes with events needed before scoring (default 10). */
  warmup?: number;
  /**
   * Surprise (−log10 p, after the multiple-window penalty) scored 0.5 (default 4.5). Lower it only for
   * series whose minutes are close to independent draws (e.g. infrastructure errors, not failures of
   * combinations that fail often and in runs), and check the quiet-run false alarms.
   */
  centre?: number;
  /**
   * Minutes a minute waits before the baseline learns from it (default 0). With a delay, a window
   * that turns surprising later keeps the minutes it contains out of the baseline, so a burst's first
   * minutes are not learned while it builds up. Suits rare events (failures, errors, timeouts); not
   * series whose bad events come in runs anyway (cache misses of a new combination's layers).
   */
  learnDelay?: number;
  /** Surprise (after the penalty) of a window that keeps its minutes out of the baseline (default 3.3). */
  taint?: number;
  /**
   * Smallest proportion of bad events the reference assumes (default 0): a few hundred events with
   * none bad do not prove that one in a hundred would be news.
   */
  floor?: number;
  /**
   * Events that tend to come together (default 1): counts are divided by it before the binomial
   * test — an effective sample size for correlated events (the lookups of one build miss together).
   */
  dispersion?: number;
}

/** Counts of one minute. */
export interface RateCounts {
  /** Events of interest (non-flaky failures, or cache hits). */
  hits: number;
  /** All events (executed tests/builds, or cache lookups). */
  total: number;
}

/** An online detector over per-minute proportions. */
export interface RateDetector {
  update(t: number, counts: RateCounts): PointScore;
}

/** Creates a detector with its own state. */
export function createRateDetector(options: RateDetectorOptions): RateDetector {
  const windows = options.windows ?? [1, 3, 5, 10, 20];
  const learnDelay = options.learnDelay ?? 0;
  const taint = options.taint ?? 3.3;
  const floor = options.floor ?? 0;
  const dispersion = options.dispersion ?? 1;
  const longest = Math.max(...windows, learnDelay + 1);
  const alpha = options.alpha ?? 0.01;
  const warmup = options.warmup ?? 10;
  const penalty = Math.log10(windows.length);
  const centre = options.centre ?? 4.5;
  const width = centre >= 4 ? 0.4 : 0.3;
  const up = options.direction === 'up';
  // Internally always the proportion of "bad" events: failures, or cache misses (1 − hit ratio).
  let q0 = up ? (options.prior ?? 0.05) : 1 - (options.prior ?? 0.8);
  let learned = 0;
  const recent: Array<RateCounts & { tainted: boolean }> = [];
  /**
   * Learns from a minute once it is `learnDelay` minutes old, unless a surprising window contained it
   * after the warm-up (during the warm-up everything is learned: the prior is only a guess):
   * the baseline must not absorb a burst while it builds up below the alert threshold.
   */
  const learn = (m: RateCounts & { tainted: boolean }): void => {
    if (m.total <= 0 || (m.tainted && learned >= warmup)) return;
    learned++;
    const a = Math.max(alpha, 1 / learned);
    q0 += Math.min(1, a * Math.min(1, m.total / 5)) * (m.hits / m.total - q0);
  };
  return {
    update(_t, given) {
      const counts = up ? given : { hits: given.total - given.hits, total: given.total };
      recent.unshift({ ...counts, tainted: false });
      if (recent.length > longest) recent.pop();
      // Reference proportion with an allowance for over-dispersion (mixes of combinations, layers).
      const pRef = Math.min(0.95, Math.max(q0, floor) * 1.15 + 0.005);
      let surprise = 0;
      let bestN = 0;
      let h = 0;
      let n = 0;
      for (let i = 0, w = 0; i < recent.length && w < windows.length; i++) {
        h += recent[i]?.hits ?? 0;
        n += recent[i]?.total ?? 0;
        if (i + 1 !== windows[w]) continue;
        w++;
        const s = upperTailSurprise(Math.round(n / dispersion), Math.round(h / dispersion), pRef);
        if (s - penalty >= taint) for (let j = 0; j <= i; j++) (recent[j] as { tainted: boolean }).tainted = true;
        if (s > surprise) {
          surprise = s;
          bestN = n;
        }
      }
      const score = learned >= warmup ? sigmoid(surprise - penalty, centre, width) : 0;
      const old = recent[learnDelay];
      if (old) learn(old);
      // Evidence in the caller's terms (failure rate, or hit ratio): learned proportion ± 3 standard errors.
      const p = up ? q0 : 1 - q0;
      const band = 3 * Math.sqrt((q0 * (1 - q0)) / Math.max(bestN, 1));
      return combine({ [options.kind]: score }, options.kind, p, Math.max(0, p - band), Math.min(1, p + band));
    },
  };
}
