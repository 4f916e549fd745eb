/**
 * Stuck-queue detector: work is queued (depth > 0) but nothing starts or finishes. The score grows
 * with how unlikely that many idle minutes are given the pool's usual throughput (Poisson), so a busy
 * pool alerts after a minute or two and a quiet pool only after a long stall.
 */
import { combine, sigmoid, type PointScore } from './score.js';

/** One minute of a pool's queue. */
export interface QueueMinute {
  /** Queue depth (largest seen during the minute). */
  depth: number;
  started: number;
  finished: number;
}

/** An online detector of stalled queues. */
export interface StuckQueueDetector {
  update(t: number, m: QueueMinute): PointScore;
}

/** Creates a detector with its own state. */
export function createStuckQueueDetector(options: { alpha?: number; warmup?: number } = {}): StuckQueueDetector {
  const alpha = options.alpha ?? 0.05;
  const warmup = options.warmup ?? 10;
  let rate = 0;
  let minutes = 0;
  let idle = 0;
  return {
    update(_t, m) {
      minutes++;
      const progress = m.started + m.finished;
      idle = m.depth > 0 && progress === 0 ? idle + 1 : 0;
      // log10 of 1 / P(no progress for `idle` minutes).
      const surprise = idle * rate * Math.LOG10E;
      const score = minutes > warmup && idle >= 1 ? sigmoid(surprise, 2.2, 0.4) : 0;
      if (idle === 0) rate += Math.max(alpha, 1 / minutes) * (progress / 2 - rate);
      return combine({ stuck_queue: score }, 'stuck_queue', rate, 0, rate * 3);
    },
  };
}
