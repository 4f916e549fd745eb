/** `fixed`: a constant pool size (the baseline of what-if sweeps over pool sizes, and of M/M/c checks). */
import { clampSlots } from './clamp.js';
import type { ScalingDecision, ScalingLimits, ScalingPolicy } from './types.js';

/** Options of {@link createFixedPolicy}. */
export interface FixedOptions {
  /** Slots to keep provisioned. Default 4. */
  slots?: number;
}

/** Creates a policy that always wants `slots` (within the pool's limits). */
export function createFixedPolicy(options: FixedOptions = {}): ScalingPolicy {
  const slots = options.slots ?? 4;
  if (!Number.isInteger(slots) || slots < 0) throw new RangeError(`slots must be a non-negative integer, got ${slots}`);
  return {
    name: 'fixed',
    decide(_s, limits: ScalingLimits): ScalingDecision {
      const desired = clampSlots(slots, limits.minSlots, limits.maxSlots);
      return { desiredSlots: desired, reason: { fixed: slots }, reasonText: `fixed ${slots} slots` };
    },
  };
}
