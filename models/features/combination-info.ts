/**
 * Derived keys of a module combination (sorted key, distinct modules, module pairs), computed once per
 * distinct combination and cached: replaying 300k builds would otherwise rebuild the same strings
 * millions of times.
 */

/** Most pairs considered per build (combinations beyond 16 modules use their first 16 sorted modules). */
export const MAX_PAIR_MODULES = 16;
const CACHE_LIMIT = 200_000;

/** Keys derived from one combination. */
export interface CombinationInfo {
  /** Order-insensitive key of the combination. */
  key: string;
  /** Distinct modules, sorted. */
  modules: string[];
  /** `a+b` keys of the module pairs (a < b). */
  pairs: string[];
}

/** A cache of combination infos (one per history state / process user). */
export class CombinationCache {
  private readonly cache = new Map<string, CombinationInfo>();

  /** Info of `combination`. */
  get(combination: readonly string[]): CombinationInfo {
    const raw = combination.join('\u0002');
    let info = this.cache.get(raw);
    if (!info) {
      info = combinationInfo(combination);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(raw, info);
    }
    return info;
  }
}

/** Computes the info of `combination` (uncached). */
export function combinationInfo(combination: readonly string[]): CombinationInfo {
  const modules = [...new Set(combination)].sort();
  const capped = modules.slice(0, MAX_PAIR_MODULES);
  const pairs: string[] = [];
  for (let i = 0; i < capped.length; i++) for (let j = i + 1; j < capped.length; j++) pairs.push(`${capped[i]}+${capped[j]}`);
  return { key: [...combination].sort().join('|'), modules, pairs };
}
