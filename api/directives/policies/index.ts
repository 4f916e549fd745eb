/**
 * Policy registry: the ONE place the directive engine (api/directives) and the pool simulator
 * (api/pool-sim) get their scaling and cache policies from, by name.
 */
import { InputError } from '../../../common/errors.js';
import { createBeladyPolicy } from './belady.js';
import { createFixedPolicy, type FixedOptions } from './fixed.js';
import { createLruPolicy } from './lru.js';
import { createPredictivePolicy, type PredictiveOptions } from './predictive.js';
import { createPredictiveWarmPolicy, type PredictiveWarmOptions } from './predictive-warm.js';
import { createReactivePolicy, type ReactiveOptions } from './reactive.js';
import { createScheduledPolicy, type ScheduledOptions } from './scheduled.js';
import type { CacheWarmPolicy, ScalingPolicy } from './types.js';

/** Options accepted by each scaling policy. */
export interface ScalingOptionsByName {
  reactive: ReactiveOptions;
  scheduled: ScheduledOptions;
  predictive: PredictiveOptions;
  fixed: FixedOptions;
}

/** Options accepted by each cache policy. */
export interface CacheOptionsByName {
  lru: Record<string, never>;
  'predictive-warm': PredictiveWarmOptions;
  belady: Record<string, never>;
}

/** Names of the scaling policies. */
export type ScalingPolicyName = keyof ScalingOptionsByName;
/** Names of the cache policies. */
export type CachePolicyName = keyof CacheOptionsByName;

/** Scaling policy factories by name (each call returns a fresh instance with its own memory). */
export const SCALING_POLICIES: { readonly [N in ScalingPolicyName]: (options?: ScalingOptionsByName[N]) => ScalingPolicy } = {
  reactive: createReactivePolicy,
  scheduled: createScheduledPolicy,
  predictive: createPredictivePolicy,
  fixed: createFixedPolicy,
};

/** Cache policy factories by name. */
export const CACHE_POLICIES: { readonly [N in CachePolicyName]: (options?: CacheOptionsByName[N]) => CacheWarmPolicy } = {
  lru: createLruPolicy,
  'predictive-warm': createPredictiveWarmPolicy,
  belady: createBeladyPolicy,
};

/** Type guard for scaling policy names. */
export function isScalingPolicyName(name: string): name is ScalingPolicyName {
  return Object.hasOwn(SCALING_POLICIES, name);
}

/** Type guard for cache policy names. */
export function isCachePolicyName(name: string): name is CachePolicyName {
  return Object.hasOwn(CACHE_POLICIES, name);
}

/** Creates a scaling policy by name; InputError (naming the choices) for an unknown name. */
export function createScalingPolicy(name: string, options: Record<string, unknown> = {}): ScalingPolicy {
  if (!isScalingPolicyName(name))
    throw new InputError('policy', `unknown scaling policy "${name}" (one of ${Object.keys(SCALING_POLICIES).join(', ')})`);
  return (SCALING_POLICIES[name] as (o: Record<string, unknown>) => ScalingPolicy)(options);
}

/** Creates a cache policy by name; InputError (naming the choices) for an unknown name. */
export function createCachePolicy(name: string, options: Record<string, unknown> = {}): CacheWarmPolicy {
  if (!isCachePolicyName(name))
    throw new InputError('cache', `unknown cache policy "${name}" (one of ${Object.keys(CACHE_POLICIES).join(', ')})`);
  return (CACHE_POLICIES[name] as (o: Record<string, unknown>) => CacheWarmPolicy)(options);
}

export { createArrivalForecaster, type ArrivalForecaster, type ArrivalForecasterOptions } from './arrival-forecaster.js';
export {
  erlangB,
  erlangC,
  meanWaitMs,
  minServersForSlo,
  waitExceedsProbability,
  waitQuantileMs,
  type MmcParams,
  type SloSizing,
} from './erlang-c.js';
export { hourlySlotsFromProfile, type ProfileSizing } from './scheduled.js';
export { expectedSavingMs, rankByExpectedSaving } from './predictive-warm.js';
export { leastRecentlyUsed } from './lru.js';
export {
  createWarmDemandModel,
  warmCopyUseProbability,
  type CandidateQuery,
  type WarmCopyQuery,
  type WarmDemandModel,
  type WarmDemandOptions,
} from './warm-demand-model.js';
export {
  createBeladyPolicy,
  createFixedPolicy,
  createLruPolicy,
  createPredictivePolicy,
  createPredictiveWarmPolicy,
  createReactivePolicy,
  createScheduledPolicy,
  type FixedOptions,
  type PredictiveOptions,
  type PredictiveWarmOptions,
  type ReactiveOptions,
  type ScheduledOptions,
};
export type {
  CacheWarmPolicy,
  EvictionContext,
  PoolSnapshot,
  ResidentLayer,
  ScalingDecision,
  ScalingLimits,
  ScalingPolicy,
  WarmCandidate,
} from './types.js';
