/**
 * `scheduled`: time-of-day capacity, the common cron-style practice (e.g. KEDA's cron scaler or
 * scheduled scaling actions): a fixed number of slots per UTC hour, switched `leadMs` early so
 * executors are up when the hour starts.
 */
import { checkRange, clampSlots } from './clamp.js';
import type { PoolSnapshot, ScalingDecision, ScalingLimits, ScalingPolicy } from './types.js';

const HOUR_MS = 3_600_000;

/** Options of {@link createScheduledPolicy}. */
export interface ScheduledOptions {
  /** Slots for each UTC hour of the day (24 entries). Default: 2 slots off-hours, 8 slots 08:00–18:00. */
  hourlySlots?: readonly number[];
  /** Switch to the next hour's slots this early, ms (covers executor start-up). Default 120 000. */
  leadMs?: number;
}

/** Inputs of {@link hourlySlotsFromProfile}. */
export interface ProfileSizing {
  /** Mean arrivals per second for each UTC hour (24 entries). */
  hourlyArrivalsPerSec: readonly number[];
  meanBuildMs: number;
  /** Target utilisation of the slots, (0, 1]. Default 0.7. */
  targetUtilisation?: number;
}

/** Derives a schedule from an hourly demand profile: ceil(λ_h · S / ρ) slots per hour. */
export function hourlySlotsFromProfile(p: ProfileSizing): number[] {
  if (p.hourlyArrivalsPerSec.length !== 24)
    throw new RangeError(`hourlyArrivalsPerSec needs 24 entries, got ${p.hourlyArrivalsPerSec.length}`);
  const rho = checkRange('targetUtilisation', p.targetUtilisation ?? 0.7, 0.01, 1);
  return p.hourlyArrivalsPerSec.map((l) => Math.ceil((l * p.meanBuildMs) / 1000 / rho));
}

const DEFAULT_HOURS: readonly number[] = Array.from({ length: 24 }, (_, h) => (h >= 8 && h < 18 ? 8 : 2));

/** Creates a scheduled policy (stateless). */
export function createScheduledPolicy(options: ScheduledOptions = {}): ScalingPolicy {
  const hours = options.hourlySlots ?? DEFAULT_HOURS;
  if (hours.length !== 24 || hours.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new RangeError('hourlySlots must be 24 non-negative integers');
  }
  const leadMs = checkRange('leadMs', options.leadMs ?? 120_000, 0, HOUR_MS);
  return {
    name: 'scheduled',
    decide(s: PoolSnapshot, limits: ScalingLimits): ScalingDecision {
      const hour = Math.floor((s.nowMs + leadMs) / HOUR_MS) % 24;
      const planned = hours[hour] ?? 0;
      const desired = clampSlots(planned, limits.minSlots, limits.maxSlots);
      return { desiredSlots: desired, reason: { hour, planned }, reasonText: `schedule for ${hour}:00 UTC: ${planned} slots` };
    },
  };
}
