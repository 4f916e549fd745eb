/** What the directive engine reads about pools (implemented over ClickHouse by `clickhouse-pool-state.ts`). */
import type { PoolSnapshot, WarmCandidate } from './policies/types.js';

/** A pool snapshot plus a sample of the combinations waiting in its queue (for predicted durations). */
export interface PoolObservation extends PoolSnapshot {
  /** Up to ~20 combinations of recently queued jobs, newest first. */
  queuedCombinations: string[][];
  /** Whether the mean build duration was observed (true) or defaulted for lack of data (false). */
  observedDuration: boolean;
}

/** Queue wait and cache hit ratio of a pool over a time range (effect measurement). */
export interface WindowStats {
  queueWaitP95Ms: number | null;
  hitRatio: number | null;
  builds: number;
}

/** Source of pool state. */
export interface PoolStateSource {
  /** One observation per active pool at `nowMs`. */
  observe(nowMs: number): Promise<PoolObservation[]>;
  /** Combinations that could be warmed on `pool`, with probability of being built within `horizonMs`. */
  warmCandidates(pool: string, nowMs: number, horizonMs: number): Promise<WarmCandidate[]>;
  /** Stats of `pool` over [fromMs, toMs). */
  windowStats(pool: string, fromMs: number, toMs: number): Promise<WindowStats>;
}
