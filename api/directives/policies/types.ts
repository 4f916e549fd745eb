/**
 * Policy contracts shared by the directive engine (api/directives) and the executor-pool simulator
 * (`pulse simulate-pool`): both import the very same policy modules, never copies.
 */

/** What a scaling policy sees about a pool at one decision time. */
export interface PoolSnapshot {
  pool: string;
  /** Decision time, ms since epoch (simulated time in the simulator). */
  nowMs: number;
  /** Jobs waiting. */
  queued: number;
  /** Builds running. */
  running: number;
  /** Slots currently provisioned (running + idle). */
  slots: number;
  /** Observed arrival rate over the recent past, jobs/s. */
  observedArrivalsPerSec: number;
  /** Forecast arrival rate for the next horizon, jobs/s (predictive policies); falls back to observed. */
  forecastArrivalsPerSec?: number;
  /** Mean predicted (or observed) build duration, ms. */
  meanBuildMs: number;
  /**
   * Squared coefficient of variation of build durations (variance / mean²), when known: 1 for
   * exponential durations, ≫ 1 when warm and cold builds mix. Predictive sizing uses it; absent = 1.
   */
  buildMsCv2?: number;
  /** Recent queue-wait p95, ms. */
  queueWaitP95Ms?: number;
}

/** Bounds and objectives of a pool. */
export interface ScalingLimits {
  minSlots: number;
  maxSlots: number;
  /** Queue-wait SLO, ms (e.g. p95 wait target). */
  queueWaitSloMs: number;
}

/** A scaling decision with the numbers that led to it (recorded in the directive's `reason`). */
export interface ScalingDecision {
  desiredSlots: number;
  reason: Record<string, number>;
  reasonText: string;
}

/** A scaling policy: pure decision logic plus its own small memory (cooldowns, hysteresis). */
export interface ScalingPolicy {
  readonly name: string;
  decide(snapshot: PoolSnapshot, limits: ScalingLimits): ScalingDecision;
}

/** A combination that could be warmed. */
export interface WarmCandidate {
  combination: string[];
  /** Probability it is built on the pool within the horizon. */
  probability: number;
  /**
   * Probability that a given upcoming build of the pool (e.g. the next one an executor takes) is this
   * combination: its share of the expected demand. Unlike `probability`, it does not saturate at 1 for
   * every frequent combination when the horizon is long; rankers prefer it when present.
   */
  share?: number;
  /** Build time saved when warm vs cold, ms. */
  savingMs: number;
  /** Whether its layers are already warm. */
  warm: boolean;
  /** Oracle only (offline policies): time of the next build of this combination, ms. */
  nextArrivalMs?: number;
}

/** One layer resident in an executor's layer cache (what an eviction decision sees). */
export interface ResidentLayer {
  /** Layer cache key: the combination prefix up to and including this layer, joined with `/`. */
  key: string;
  /** Last time the layer was used by a build or warmed, ms. */
  lastUsedMs: number;
  /** Time it was inserted, ms. */
  insertedMs: number;
}

/** What an eviction decision may know besides the resident layers. */
export interface EvictionContext {
  nowMs: number;
  /**
   * Oracle of the next time (ms, > nowMs) the layer is needed by any build of the pool, or Infinity.
   * Only offline policies (belady) use it; the simulator supplies it from the trace's future; the
   * directive engine never has it.
   */
  nextUseMs?: (key: string) => number;
  /**
   * Online estimate of how often the layer will be needed (uses per ms), from past demand only;
   * predictive-warm evicts the layer with the lowest estimate. Supplied by the caller's demand model.
   */
  predictedUseRate?: (key: string) => number;
}

/** A cache policy chooses what to warm (predictive) or what to evict (simulator's cache). */
export interface CacheWarmPolicy {
  readonly name: string;
  /**
   * Ranks `candidates` and returns at most `budget` of them to warm, best first (never ones already warm).
   * An empty list means "no warming" (lru).
   */
  choose(candidates: readonly WarmCandidate[], budget: number): WarmCandidate[];
  /** Picks the key of the resident layer to evict (non-empty `resident`); LRU when absent. */
  evict?(resident: readonly ResidentLayer[], ctx: EvictionContext): string;
  /** True when the policy needs the future (offline bound): the simulator then feeds it oracle candidates. */
  readonly offline?: boolean;
  /** True when `choose` always returns [] (no warming): callers may skip building candidates. */
  readonly neverWarms?: boolean;
}
