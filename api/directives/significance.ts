/** When a pool's state changed enough to decide before the interval is up. */
import type { PoolSnapshot } from './policies/types.js';

/** Thresholds of {@link significantChange}. */
export interface SignificanceOptions {
  /** Relative change of queue length or arrival rate that counts (default 0.5 = ±50%). */
  relative: number;
  /** Smallest absolute queue change that counts (default 3 jobs). */
  minQueueDelta: number;
  /** Smallest absolute arrival-rate change that counts, jobs/s (default 0.05). */
  minRateDelta: number;
  /** Queue-wait SLO, ms: crossing it counts. */
  queueWaitSloMs: number;
}

/** True when `now` differs enough from the snapshot the last decision was made on. */
export function significantChange(last: PoolSnapshot | undefined, now: PoolSnapshot, o: SignificanceOptions): boolean {
  if (!last) return true;
  const dq = Math.abs(now.queued - last.queued);
  if (dq >= o.minQueueDelta && dq >= o.relative * Math.max(1, last.queued)) return true;
  const dr = Math.abs(now.observedArrivalsPerSec - last.observedArrivalsPerSec);
  if (dr >= o.minRateDelta && dr >= o.relative * Math.max(1e-9, last.observedArrivalsPerSec)) return true;
  const wasOver = (last.queueWaitP95Ms ?? 0) > o.queueWaitSloMs;
  const isOver = (now.queueWaitP95Ms ?? 0) > o.queueWaitSloMs;
  return wasOver !== isOver;
}
