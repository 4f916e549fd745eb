/** `lru`: no warming; the cache evicts the least recently used layer (what a plain layer cache does). */
import type { CacheWarmPolicy, ResidentLayer } from './types.js';

/** Key of the least recently used layer (ties: oldest insertion, then key order, for determinism). */
export function leastRecentlyUsed(resident: readonly ResidentLayer[]): string {
  let best: ResidentLayer | undefined;
  for (const r of resident) {
    if (
      !best ||
      r.lastUsedMs < best.lastUsedMs ||
      (r.lastUsedMs === best.lastUsedMs && (r.insertedMs < best.insertedMs || (r.insertedMs === best.insertedMs && r.key < best.key)))
    ) {
      best = r;
    }
  }
  if (!best) throw new RangeError('evict called with no resident layers');
  return best.key;
}

/** Creates the lru cache policy. */
export function createLruPolicy(): CacheWarmPolicy {
  return {
    name: 'lru',
    neverWarms: true,
    choose: () => [],
    evict: (resident) => leastRecentlyUsed(resident),
  };
}
