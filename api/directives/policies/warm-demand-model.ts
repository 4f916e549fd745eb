/**
 * Per-combination demand model behind `predictive-warm`: an exponentially decayed arrival count
 * (recent rate) and an hour-of-day profile (rate of this combination in each UTC hour over the days
 * seen). P(built within horizon) = 1 − exp(−rate · horizon) for a Poisson stream at the higher of the two
 * rates, and its share of the upcoming builds = rate / Σ rates. Pure: all state lives in the returned
 * object; the directive engine feeds it build history and the simulator feeds it the arrivals it has
 * replayed so far (never the future).
 */
import { checkRange } from './clamp.js';
import type { WarmCandidate } from './types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Options of {@link createWarmDemandModel}. */
export interface WarmDemandOptions {
  /** Half-life of the recent-rate estimate, ms. Default 2 h. */
  halfLifeMs?: number;
}

/** Inputs of {@link WarmDemandModel.candidates}. */
export interface CandidateQuery {
  nowMs: number;
  /** Horizon of "built soon", ms. */
  horizonMs: number;
  /** Whether the combination is already warm where the candidates will be used. */
  isWarm: (combination: readonly string[]) => boolean;
  /** Build time saved when warm vs cold, ms. */
  savingMs: (combination: readonly string[]) => number;
}

/** Stateful per-combination demand estimates. */
export interface WarmDemandModel {
  /** Records one build request of `combination` at `timeMs` (non-decreasing). */
  observe(combination: readonly string[], timeMs: number): void;
  /** Estimated arrivals per ms of `combination` around `timeMs`. */
  rate(combination: readonly string[], timeMs: number): number;
  /** Every known combination as a warm candidate with its probability of being built within the horizon. */
  candidates(q: CandidateQuery): WarmCandidate[];
}

interface Entry {
  combination: readonly string[];
  decayed: number;
  lastMs: number;
  hourly: number[];
}

/** Creates an empty model. */
export function createWarmDemandModel(options: WarmDemandOptions = {}): WarmDemandModel {
  const halfLifeMs = checkRange('halfLifeMs', options.halfLifeMs ?? 2 * HOUR_MS, 1, 365 * DAY_MS);
  const entries = new Map<string, Entry>();
  let firstMs: number | undefined;

  const rateOf = (e: Entry, timeMs: number): number => {
    const recent = (e.decayed * Math.pow(2, -(timeMs - e.lastMs) / halfLifeMs) * Math.LN2) / halfLifeMs;
    const days = firstMs === undefined ? 1 : Math.max(1, Math.ceil((timeMs - firstMs) / DAY_MS));
    const hour = Math.floor(timeMs / HOUR_MS) % 24;
    const seasonal = (e.hourly[hour] ?? 0) / (days * HOUR_MS);
    return Math.max(recent, seasonal);
  };

  return {
    observe(combination, timeMs) {
      firstMs ??= timeMs;
      const key = combination.join('/');
      let e = entries.get(key);
      if (!e) {
        e = { combination: [...combination], decayed: 0, lastMs: timeMs, hourly: new Array<number>(24).fill(0) };
        entries.set(key, e);
      }
      e.decayed = e.decayed * Math.pow(2, -(timeMs - e.lastMs) / halfLifeMs) + 1;
      e.lastMs = timeMs;
      const h = Math.floor(timeMs / HOUR_MS) % 24;
      e.hourly[h] = (e.hourly[h] ?? 0) + 1;
    },
    rate(combination, timeMs) {
      const e = entries.get(combination.join('/'));
      return e ? rateOf(e, timeMs) : 0;
    },
    candidates(q) {
      const at = q.nowMs + q.horizonMs / 2;
      const rates = [...entries.values()].map((e) => rateOf(e, at));
      const total = rates.reduce((s, r) => s + r, 0);
      return [...entries.values()].map((e, i) => {
        const rate = rates[i] ?? 0;
        return {
          combination: e.combination as string[],
          probability: 1 - Math.exp(-rate * q.horizonMs),
          share: total > 0 ? rate / total : 0,
          savingMs: q.savingMs(e.combination),
          warm: q.isWarm(e.combination),
        };
      });
    },
  };
}

/** Inputs of {@link warmCopyUseProbability}. */
export interface WarmCopyQuery {
  /** The combination's share of the upcoming builds (see {@link WarmCandidate.share}). */
  share: number;
  /** Free executors (idle or starting) already warm with it, or about to be. */
  covered: number;
  /** Jobs of this combination waiting in the queue now. */
  queuedOfCombination: number;
  /** All jobs waiting in the queue now. */
  queuedTotal: number;
  /** Free executors (idle or starting) that will take the next builds. */
  freeExecutors: number;
}

/**
 * Probability that one more warm copy of a combination (on one more free executor) serves a build: the
 * free executors take the next `freeExecutors` builds, of which D are this combination, D = its queued
 * jobs + Poisson((freeExecutors − queuedTotal)⁺ · share) new arrivals, and the copy is used when
 * D > covered. With one free executor and an empty queue this is 1 − e^(−share) ≈ share.
 */
export function warmCopyUseProbability(q: WarmCopyQuery): number {
  const need = q.covered - q.queuedOfCombination;
  if (need < 0) return 1;
  const mean = Math.max(0, q.freeExecutors - q.queuedTotal) * Math.max(0, q.share);
  // P(X > need) for X ~ Poisson(mean).
  let term = Math.exp(-mean);
  let cdf = term;
  for (let i = 1; i <= need; i++) {
    term *= mean / i;
    cdf += term;
  }
  return Math.max(0, 1 - cdf);
}
