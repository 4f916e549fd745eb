/**
 * `predictive` (ours): forecast arrivals (level + hour-of-day seasonality) over the provisioning lead
 * time, take the predicted mean build duration, and pick the smallest slot count c whose Erlang-C
 * q-quantile queue wait meets the pool's SLO; then add slots while the cost-weighted objective
 * `costWeight·c + λ·W_q(c)` still falls, never go below the current backlog (running + queued), scale up
 * at once and scale down only after a stabilization window (hysteresis).
 */
import { createArrivalForecaster, type ArrivalForecasterOptions } from './arrival-forecaster.js';
import { checkRange, clampSlots } from './clamp.js';
import { meanWaitMs, minServersForSlo, waitExceedsProbability } from './erlang-c.js';
import type { PoolSnapshot, ScalingDecision, ScalingLimits, ScalingPolicy } from './types.js';

/** Options of {@link createPredictivePolicy}. */
export interface PredictiveOptions extends ArrivalForecasterOptions {
  /** Fraction of jobs that must wait at most the SLO. Default 0.9. */
  quantile?: number;
  /** Look-ahead covering executor start-up, ms. Default 300 000. */
  leadMs?: number;
  /** One slot-second expressed in job-seconds of queue wait; Infinity = SLO only. Default 1. */
  costWeight?: number;
  /** Scale down only to the highest recommendation of this window, ms. Default 120 000. */
  scaleDownStabilizationMs?: number;
  /** Multiplier on the forecast (safety margin), ≥ 0. Default 1. */
  forecastMargin?: number;
  /** Correct the M/M/c sizing for the build-time variability of the snapshot (`buildMsCv2`). Default true. */
  serviceVariability?: boolean;
  /**
   * Error-budget sizing: one job waiting longer than the SLO costs this many slot-seconds, and the slot
   * count minimises slots + late jobs (+ mean wait) instead of meeting the quantile at every instant — so
   * quiet hours, where a slot protects few jobs, spend less. Default undefined (quantile at every instant).
   */
  lateJobCost?: number;
}

/** Creates a predictive policy instance (its memory: forecaster, recent recommendations). */
export function createPredictivePolicy(options: PredictiveOptions = {}): ScalingPolicy {
  const quantile = checkRange('quantile', options.quantile ?? 0.9, 0.5, 0.9999);
  const leadMs = checkRange('leadMs', options.leadMs ?? 300_000, 0, 86_400_000);
  const costWeight = options.costWeight ?? 1;
  if (!(costWeight > 0)) throw new RangeError(`costWeight must be > 0, got ${costWeight}`);
  const downWindowMs = checkRange('scaleDownStabilizationMs', options.scaleDownStabilizationMs ?? 120_000, 0, 86_400_000);
  const margin = checkRange('forecastMargin', options.forecastMargin ?? 1, 0, 100);
  const variabilityOn = options.serviceVariability ?? true;
  const lateJobCost = options.lateJobCost;
  if (lateJobCost !== undefined && !(lateJobCost > 0)) throw new RangeError(`lateJobCost must be > 0, got ${lateJobCost}`);

  // A slow level (time constant ≈ 50 decisions): bursts are served through the backlog term instead, and
  // a noisy level would only hold slots through the stabilization window.
  const forecaster = createArrivalForecaster({ ...options, levelAlpha: options.levelAlpha ?? 0.02 });
  const history: { t: number; n: number }[] = [];

  return {
    name: 'predictive',
    decide(s: PoolSnapshot, limits: ScalingLimits): ScalingDecision {
      forecaster.observe(s.nowMs, s.observedArrivalsPerSec);
      const lambda = (s.forecastArrivalsPerSec ?? forecaster.forecast(s.nowMs, leadMs)) * margin;
      const serviceMs = Math.max(1, s.meanBuildMs);
      // Allen–Cunneen: M/G/c waits ≈ M/M/c waits × (1 + Cs²)/2 (Poisson arrivals); the wait tail stretches alike.
      const variability = variabilityOn ? (1 + Math.max(0, s.buildMsCv2 ?? 1)) / 2 : 1;
      const cSlo = minServersForSlo({
        arrivalsPerSec: lambda,
        meanServiceMs: serviceMs,
        sloMs: limits.queueWaitSloMs / variability,
        quantile,
        maxServers: limits.maxSlots,
      });
      const mmc = (n: number): { servers: number; arrivalsPerSec: number; meanServiceMs: number } => ({
        servers: n,
        arrivalsPerSec: lambda,
        meanServiceMs: serviceMs,
      });
      const late = (n: number): number =>
        lateJobCost === undefined ? 0 : lateJobCost * lambda * waitExceedsProbability(mmc(n), limits.queueWaitSloMs / variability);
      const objective = (n: number): number => costWeight * n + (lambda * variability * meanWaitMs(mmc(n))) / 1000 + late(n);
      let c = lateJobCost === undefined ? cSlo : Math.min(cSlo, Math.floor((lambda * serviceMs) / 1000) + 1);
      while (Number.isFinite(costWeight) && c < limits.maxSlots && objective(c + 1) < objective(c)) c++;
      const backlog = s.running + s.queued;
      const raw = clampSlots(Math.max(c, backlog), limits.minSlots, limits.maxSlots);
      history.push({ t: s.nowMs, n: raw });
      while (history.length > 0 && (history[0]?.t ?? 0) < s.nowMs - downWindowMs) history.shift();
      const stabilized = Math.max(...history.map((h) => h.n));
      const desired = raw >= s.slots ? raw : Math.min(s.slots, stabilized);
      return {
        desiredSlots: desired,
        reason: {
          forecast_arrivals_per_sec: lambda,
          mean_build_ms: serviceMs,
          wait_variability_factor: variability,
          slo_slots: cSlo,
          cost_slots: c,
          backlog,
          stabilized,
        },
        reasonText: `λ=${lambda.toFixed(4)}/s S=${Math.round(serviceMs)}ms (M/G/c ×${variability.toFixed(2)}) → ${cSlo} slots for p${Math.round(quantile * 100)} ≤ ${limits.queueWaitSloMs}ms (cost-weighted ${c}, backlog ${backlog}) → ${desired}`,
      };
    },
  };
}
