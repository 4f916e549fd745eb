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
  /** Build time saved when warm vs cold, ms. */
  savingMs: number;
  /** Whether its layers are already warm. */
  warm: boolean;
}

/** A cache policy chooses what to warm (predictive) or what to evict (simulator's cache). */
export interface CacheWarmPolicy {
  readonly name: string;
  choose(candidates: readonly WarmCandidate[], budget: number): WarmCandidate[];
}
