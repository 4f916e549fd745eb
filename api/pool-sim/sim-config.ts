/** Parameters of a pool simulation (per pool; every pool of a trace gets the same). */
import type { ScalingLimits } from '../directives/policies/index.js';

/** Pool simulator parameters. */
export interface PoolSimConfig {
  limits: ScalingLimits;
  /** Executor start-up delay (VM/pod boot + agent registration), ms. Default 120 000. */
  startupMs: number;
  /** How often the scaling policy is asked (the policy may poll less often, e.g. KEDA's 30 s), ms. Default 15 000. */
  decisionIntervalMs: number;
  /** Window of the observed arrival rate handed to policies, ms. Default 300 000. */
  observeWindowMs: number;
  /** Slots ready at the start of the trace. Default: limits.minSlots. */
  initialSlots?: number;
  /** Layers each executor's cache holds. Default 16. */
  cacheCapacity: number;
  /** Time to reuse a cached layer as a share of building it. Default 0.03. */
  hitCostRatio: number;
  /** How often warming directives are issued, ms. Default 60 000. */
  warmIntervalMs: number;
  /** "Built soon" horizon of warming, ms. Default 1 800 000. */
  warmHorizonMs: number;
  /** Combinations warmed per idle executor per round. Default 3. */
  warmBudget: number;
  /** Time to pull a layer from the registry as a share of building it. Default 0.1. */
  warmPullRatio: number;
  /** Time-series bucket, ms. Default 300 000. */
  seriesBucketMs: number;
  /** Cost of one slot for one hour (any currency). Default 1. */
  slotCostPerHour: number;
}

/** Defaults used by the CLI, the bench and the sweep. */
export const DEFAULT_SIM_CONFIG: PoolSimConfig = {
  limits: { minSlots: 1, maxSlots: 200, queueWaitSloMs: 120_000 },
  startupMs: 120_000,
  decisionIntervalMs: 15_000,
  observeWindowMs: 300_000,
  cacheCapacity: 16,
  hitCostRatio: 0.03,
  warmIntervalMs: 60_000,
  warmHorizonMs: 1_800_000,
  warmBudget: 3,
  warmPullRatio: 0.1,
  seriesBucketMs: 300_000,
  slotCostPerHour: 1,
};

/** Merges overrides (including nested limits) over the defaults. */
export function simConfig(over: Partial<PoolSimConfig> = {}): PoolSimConfig {
  return { ...DEFAULT_SIM_CONFIG, ...over, limits: { ...DEFAULT_SIM_CONFIG.limits, ...over.limits } };
}
