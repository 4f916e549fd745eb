/** Deterministic string hashing for the hashed one-hot / multi-hot feature blocks. */
import { combinationInfo } from './combination-info.js';

/** FNV-1a 32-bit hash of a string (stable across processes and versions). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Bucket of `text` among `buckets` buckets. */
export function bucketOf(text: string, buckets: number): number {
  return fnv1a(text) % buckets;
}

/** Key of a module combination (order-insensitive: the same set of modules is one combination). */
export function combinationKey(combination: readonly string[]): string {
  return combinationInfo(combination).key;
}

/**
 * Executor class tokens: the non-numeric parts of the executor id (`pool-003-large-2` → `pool`, `large`),
 * so a size/class word hashes to the same bucket whatever pool or instance number it comes with.
 */
export function executorTokens(executor: string | null): string[] {
  if (executor === null || executor === '') return ['<none>'];
  const tokens = executor
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== '' && !/^\d+$/.test(t));
  return tokens.length > 0 ? [...new Set(tokens)] : ['<numeric>'];
}
