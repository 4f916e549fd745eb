/**
 * The non-ML baselines the models must beat, read from the same {@link HistoryState} as the features:
 * duration = median of the last 5 builds of the (pool, combination), failure = outcome of the previous
 * build of the (pool, combination). When the (pool, combination) has no history yet they fall back to
 * the combination in any pool, then to the pool, then to the whole fleet.
 */
import { poolCombinationKey, type HistoryState } from './history-state.js';
import { median, type KeyStats } from './key-stats.js';
import type { BuildInput } from './types.js';

/** What the baselines predict for one build. */
export interface BaselinePrediction {
  durationMs: number;
  /** Min and max of the last builds (the baseline's "interval"). */
  lowMs: number;
  highMs: number;
  /** 1 when the previous build failed. */
  failed: number;
}

function firstWithHistory(state: HistoryState, input: BuildInput): KeyStats | undefined {
  const candidates = [
    state.poolCombinations.get(poolCombinationKey(input.pool, state.combination(input.combination).key)),
    state.combinations.get(state.combination(input.combination).key),
    state.pools.get(input.pool),
    state.global,
  ];
  return candidates.find((s) => s !== undefined && s.n > 0);
}

/** Baseline predictions for `input` from the state before it starts. */
export function baselinePrediction(state: HistoryState, input: BuildInput): BaselinePrediction {
  const s = firstWithHistory(state, input);
  if (!s || s.last.length === 0) return { durationMs: 60_000, lowMs: 60_000, highMs: 60_000, failed: 0 };
  return { durationMs: median(s.last), lowMs: Math.min(...s.last), highMs: Math.max(...s.last), failed: s.prevFailed };
}
