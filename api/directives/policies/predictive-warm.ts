/**
 * `predictive-warm` (ours): warm the combinations with the highest expected saving
 * P(the next build is it) × (cold − warm build time) that are not warm yet (P is the candidate's `share`
 * of the upcoming demand, else its probability of being built within the horizon), at most `budget` of
 * them, and evict the layer with the lowest predicted use rate (from the caller's demand model; LRU when absent or tied),
 * so a warm never pushes out something the model expects to be needed more.
 * Probabilities come from {@link createWarmDemandModel} (or any estimator the caller has).
 */
import { leastRecentlyUsed } from './lru.js';
import type { CacheWarmPolicy, WarmCandidate } from './types.js';

/** Options of {@link createPredictiveWarmPolicy}. */
export interface PredictiveWarmOptions {
  /** Candidates whose probability is below this are never warmed. Default 0.05. */
  minProbability?: number;
}

/** Expected saving of warming a candidate, ms: (share, else probability) × saving. */
export function expectedSavingMs(c: WarmCandidate): number {
  return (c.share ?? c.probability) * c.savingMs;
}

/** Ranks candidates by expected saving, best first; ties by probability, then combination text (deterministic). */
export function rankByExpectedSaving(candidates: readonly WarmCandidate[]): WarmCandidate[] {
  return candidates
    .slice()
    .sort(
      (a, b) =>
        expectedSavingMs(b) - expectedSavingMs(a) ||
        b.probability - a.probability ||
        a.combination.join('/').localeCompare(b.combination.join('/')),
    );
}

/** Creates the predictive-warm cache policy. */
export function createPredictiveWarmPolicy(options: PredictiveWarmOptions = {}): CacheWarmPolicy {
  const minP = options.minProbability ?? 0.05;
  return {
    name: 'predictive-warm',
    choose(candidates, budget) {
      return rankByExpectedSaving(candidates.filter((c) => !c.warm && c.probability >= minP && c.savingMs > 0)).slice(
        0,
        Math.max(0, budget),
      );
    },
    evict(resident, ctx) {
      const rate = ctx.predictedUseRate;
      if (!rate) return leastRecentlyUsed(resident);
      let low = Infinity;
      for (const r of resident) low = Math.min(low, rate(r.key));
      return leastRecentlyUsed(resident.filter((r) => rate(r.key) <= low));
    },
  };
}
