/**
 * `reactive`: a faithful stand-in for today's queue-length autoscalers.
 *
 * Mimics KEDA driving a Kubernetes HPA (and ARC's queued+in-progress metric), with their defaults:
 * - KEDA `pollingInterval` 30 s: the metric is read only every 30 s; between polls the last decision holds.
 * - KEDA/HPA `AverageValue` target: desired = ceil(metric / target), metric = queued jobs (+ running ones,
 *   like ARC's `TotalNumberOfQueuedAndInProgressWorkflowRuns` and RabbitMQ queue length incl. unacked).
 * - HPA `behavior` defaults: scale-up stabilization 0 s with at most max(100 %, +4 pods) per step;
 *   scale-down stabilization window 300 s (the highest recommendation of the last 300 s is kept).
 * - KEDA `cooldownPeriod` 300 s: scaling from activity to zero waits 300 s after the last active poll.
 */
import { checkRange, clampSlots } from './clamp.js';
import type { PoolSnapshot, ScalingDecision, ScalingLimits, ScalingPolicy } from './types.js';

/** Options of {@link createReactivePolicy}; every default is the upstream default named above. */
export interface ReactiveOptions {
  /** Jobs per slot (KEDA `targetValue` / ARC 1 runner per job). Default 1. */
  target?: number;
  /** Count running jobs in the metric (ARC, queue length incl. unacked). Default true. */
  includeRunning?: boolean;
  /** KEDA `pollingInterval`, ms. Default 30 000. */
  pollingIntervalMs?: number;
  /** HPA scale-down `stabilizationWindowSeconds`, ms. Default 300 000. */
  scaleDownStabilizationMs?: number;
  /** KEDA `cooldownPeriod` before scaling to zero, ms. Default 300 000. */
  cooldownMs?: number;
  /** HPA scale-up limit per step: max(current × (1 + percent/100), current + pods). Defaults 100 % and 4. */
  scaleUpPercent?: number;
  scaleUpPods?: number;
}

/** Creates a reactive policy instance (its memory: last poll, recommendation history). */
export function createReactivePolicy(options: ReactiveOptions = {}): ScalingPolicy {
  const target = checkRange('target', options.target ?? 1, 0.01, 1e6);
  const includeRunning = options.includeRunning ?? true;
  const pollMs = checkRange('pollingIntervalMs', options.pollingIntervalMs ?? 30_000, 0, 86_400_000);
  const downWindowMs = checkRange('scaleDownStabilizationMs', options.scaleDownStabilizationMs ?? 300_000, 0, 86_400_000);
  const cooldownMs = checkRange('cooldownMs', options.cooldownMs ?? 300_000, 0, 86_400_000);
  const upPercent = options.scaleUpPercent ?? 100;
  const upPods = options.scaleUpPods ?? 4;
  let lastPollMs = -Infinity;
  let lastActiveMs = -Infinity;
  let last: ScalingDecision | undefined;
  const history: { t: number; n: number }[] = [];

  return {
    name: 'reactive',
    decide(s: PoolSnapshot, limits: ScalingLimits): ScalingDecision {
      if (last && s.nowMs - lastPollMs < pollMs) return last;
      lastPollMs = s.nowMs;
      const metric = s.queued + (includeRunning ? s.running : 0);
      if (metric > 0) lastActiveMs = s.nowMs;
      const raw = clampSlots(Math.ceil(metric / target), limits.minSlots, limits.maxSlots);
      history.push({ t: s.nowMs, n: raw });
      while (history.length > 0 && (history[0]?.t ?? 0) < s.nowMs - downWindowMs) history.shift();
      const downRecommendation = Math.max(...history.map((h) => h.n));
      let desired = s.slots;
      if (raw > s.slots) desired = Math.min(raw, Math.max(Math.ceil(s.slots * (1 + upPercent / 100)), s.slots + upPods));
      else if (downRecommendation < s.slots) desired = downRecommendation;
      // KEDA deactivates (to zero) only after cooldownPeriod without activity.
      if (desired === 0 && s.nowMs - lastActiveMs < cooldownMs) desired = Math.min(1, s.slots);
      desired = clampSlots(desired, limits.minSlots, limits.maxSlots);
      last = {
        desiredSlots: desired,
        reason: { metric, target, raw, down_recommendation: downRecommendation, slots: s.slots },
        reasonText: `metric ${metric} (queued${includeRunning ? '+running' : ''}) / target ${target} → ${raw}; stabilized ${desired}`,
      };
      return last;
    },
  };
}
