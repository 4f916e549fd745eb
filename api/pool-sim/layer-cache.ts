/**
 * One executor's layer cache: at most `capacity` layers; on overflow the cache policy's `evict` picks
 * the victim (LRU when the policy has none). Layers of the build being inserted are never evicted.
 */
import { leastRecentlyUsed, type CacheWarmPolicy, type EvictionContext, type ResidentLayer } from '../directives/policies/index.js';

/** A bounded layer cache. */
export interface LayerCache {
  has(key: string): boolean;
  /** Marks a resident layer used at `nowMs`. */
  touch(key: string, nowMs: number): void;
  /**
   * Inserts (or touches) a layer, evicting others if full; `protect` keys are never evicted. With
   * `admit`, a full cache only takes the layer when `admit(victim)` agrees (warming must not push out
   * something more valuable). Returns whether the layer is resident afterwards.
   */
  insert(key: string, nowMs: number, protect: ReadonlySet<string>, admit?: (victimKey: string) => boolean): boolean;
  /** Number of leading `keys` that are resident (Docker reuses a cached prefix only). */
  warmPrefix(keys: readonly string[]): number;
  readonly size: number;
  readonly evictions: number;
}

/** Options of {@link createLayerCache}. */
export interface LayerCacheOptions {
  capacity: number;
  policy: CacheWarmPolicy;
  /** Oracle handed to offline policies (belady). */
  nextUseMs?: (key: string) => number;
  /** Online use-rate estimate handed to every policy's `evict`. */
  predictedUseRate?: (key: string) => number;
}

/** Creates an empty cache. */
export function createLayerCache(o: LayerCacheOptions): LayerCache {
  const resident = new Map<string, ResidentLayer>();
  let evictions = 0;
  const policy = o.policy;
  const evict = (r: readonly ResidentLayer[], ctx: EvictionContext): string => (policy.evict ? policy.evict(r, ctx) : leastRecentlyUsed(r));
  return {
    has: (key) => resident.has(key),
    touch(key, nowMs) {
      const r = resident.get(key);
      if (r) r.lastUsedMs = nowMs;
    },
    insert(key, nowMs, protect, admit) {
      const r = resident.get(key);
      if (r) {
        r.lastUsedMs = nowMs;
        return true;
      }
      if (o.capacity <= 0) return false;
      while (resident.size >= o.capacity) {
        const victims = [...resident.values()].filter((v) => !protect.has(v.key));
        if (victims.length === 0) return false;
        const ctx: EvictionContext = { nowMs, nextUseMs: o.nextUseMs, predictedUseRate: o.predictedUseRate };
        const victim = evict(victims, ctx);
        if (admit && !admit(victim)) return false;
        resident.delete(victim);
        evictions++;
      }
      resident.set(key, { key, lastUsedMs: nowMs, insertedMs: nowMs });
      return true;
    },
    warmPrefix(keys) {
      let n = 0;
      while (n < keys.length && resident.has(keys[n] ?? '')) n++;
      return n;
    },
    get size() {
      return resident.size;
    },
    get evictions() {
      return evictions;
    },
  };
}
