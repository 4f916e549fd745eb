/**
 * Stuck-queue detector: work is queued but the pool does not start it. Two pieces of evidence:
 *  - idle minutes: queued (depth > 0) but nothing starts or finishes; the score grows with how
 *    unlikely that many idle minutes are given the pool's usual throughput (Poisson), so a busy pool
 *    alerts after a minute or two and a quiet pool only after a long stall;
 *  - starved samples: resource samples of executors with a free slot while the pool queue is not
 *    empty. A working dispatcher fills a free slot at once, so these are rare; many of them in a
 *    minute (exact binomial tail against the learned share) mean the dispatcher is not dispatching —
 *    visible a sample interval after the first build waits, not only once running builds drained.
 */
import { createRateDetector } from './rate-detector.js';
import { combine, sigmoid, type PointScore } from './score.js';

/** One minute of a pool's queue. */
export interface QueueMinute {
  /** Queue depth (largest seen during the minute). */
  depth: number;
  started: number;
  finished: number;
  /** Resource samples with a free slot while builds were queued (default 0). */
  starved?: number;
  /** Resource samples of the pool's executors this minute (default 0). */
  samples?: number;
}

/** An online detector of stalled queues. */
export interface StuckQueueDetector {
  update(t: number, m: QueueMinute): PointScore;
}

/** Creates a detector with its own state. */
export function createStuckQueueDetector(options: { alpha?: number; warmup?: number } = {}): StuckQueueDetector {
  const alpha = options.alpha ?? 0.05;
  const warmup = options.warmup ?? 10;
  const starvation = createRateDetector({ kind: 'stuck_queue', direction: 'up', prior: 0.01, warmup });
  let rate = 0;
  let minutes = 0;
  let idle = 0;
  return {
    update(t, m) {
      minutes++;
      const progress = m.started + m.finished;
      idle = m.depth > 0 && progress === 0 ? idle + 1 : 0;
      // log10 of 1 / P(no progress for `idle` minutes).
      const surprise = idle * rate * Math.LOG10E;
      const idleScore = minutes > warmup && idle >= 1 ? sigmoid(surprise, 2.2, 0.4) : 0;
      if (idle === 0) rate += Math.max(alpha, 1 / minutes) * (progress / 2 - rate);
      // Starved samples only count in minutes where nothing started (a start shows the dispatcher works).
      const starved = m.started === 0 ? (m.starved ?? 0) : 0;
      const starvedScore = starvation.update(t, { hits: starved, total: m.samples ?? 0 }).score;
      return combine({ stuck_queue: Math.max(idleScore, starvedScore) }, 'stuck_queue', rate, 0, rate * 3);
    },
  };
}
