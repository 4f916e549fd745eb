/**
 * `belady`: the offline reference that knows the future. Eviction is Belady's MIN (evict the layer whose
 * next use by the pool is furthest away), and warming is clairvoyant (warm, soonest first, exactly the
 * combinations that will be built within the horizon). MIN is the proven optimum for one demand-paged
 * cache; with several executors and warming it is a clairvoyant bound used as the yardstick, not a
 * proven optimum. Needs the simulator's oracle (`nextUseMs`, `nextArrivalMs`); never used online.
 */
import { leastRecentlyUsed } from './lru.js';
import type { CacheWarmPolicy, EvictionContext, ResidentLayer, WarmCandidate } from './types.js';

/** Creates the belady cache policy. */
export function createBeladyPolicy(): CacheWarmPolicy {
  return {
    name: 'belady',
    offline: true,
    choose(candidates: readonly WarmCandidate[], budget: number): WarmCandidate[] {
      return candidates
        .filter((c) => !c.warm && c.probability > 0 && c.savingMs > 0)
        .slice()
        .sort((a, b) => (a.nextArrivalMs ?? Infinity) - (b.nextArrivalMs ?? Infinity) || b.savingMs - a.savingMs)
        .slice(0, Math.max(0, budget));
    },
    evict(resident: readonly ResidentLayer[], ctx: EvictionContext): string {
      const next = ctx.nextUseMs;
      if (!next) return leastRecentlyUsed(resident);
      let bestKey: string | undefined;
      let bestNext = -Infinity;
      for (const r of resident) {
        const n = next(r.key);
        if (n > bestNext || (n === bestNext && bestKey !== undefined && r.key < bestKey)) {
          bestNext = n;
          bestKey = r.key;
        }
      }
      return bestKey ?? leastRecentlyUsed(resident);
    },
  };
}
