/**
 * Cache warming: pre-builds the combinations of the latest cache-warm directive in idle slots, at the
 * lowest priority — a warm build starts only when a slot is free and no job waits for one, and never
 * interrupts a job. A newer directive replaces the queue (the compacted topic holds the desired state).
 */
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import type { Directive } from '../contracts/types.js';
import type { JobRunner } from './job-runner.js';
import type { Slots } from './slots.js';

/** One finished warm build. */
export interface WarmRecord {
  directiveId: string;
  combination: string[];
  status: string;
  durationMs: number;
  /** Steps the engine already had / had to build. */
  hits: number;
  misses: number;
}

/** The warm queue of an agent. */
export interface Warmer {
  /** Replaces the queue with the directive's targets (in their order). */
  apply(d: Directive): void;
  /** Starts picking up idle slots. */
  start(): void;
  /** Stops starting warm builds and waits for (or, when `abort` fires, cancels) the running ones. */
  stop(abort?: AbortSignal): Promise<void>;
  readonly pending: number;
  readonly running: number;
  /** Finished warm builds, oldest first (last 100). */
  history(): WarmRecord[];
}

/** Dependencies of {@link createWarmer}. */
export interface WarmerDeps {
  slots: Slots;
  runner: JobRunner;
  logger: Logger;
  metrics: Metrics;
}

/** Creates the warmer. */
export function createWarmer(deps: WarmerDeps): Warmer {
  const { slots, runner } = deps;
  const log = deps.logger.child({ component: 'warmer' });
  const mWarm = deps.metrics.counter('agent_warm_builds_total', 'cache-warm pre-builds by status', ['status']);
  let queue: { directiveId: string; combination: string[] }[] = [];
  const running = new Set<Promise<void>>();
  const records: WarmRecord[] = [];
  const cancel = new AbortController();
  let stopped = false;
  let unsubscribe: (() => void) | null = null;

  const pump = (): void => {
    while (!stopped && queue.length > 0) {
      const release = slots.tryAcquireIdle();
      if (!release) return;
      const target = queue.shift();
      if (!target) {
        release();
        return;
      }
      const p = runner
        .warm(target.combination, cancel.signal)
        .then((r) => {
          const hits = r.steps.filter((s) => s.planned?.kind === 'layer' && s.cached).length;
          const misses = r.steps.filter((s) => s.planned?.kind === 'layer' && !s.cached).length;
          records.push({
            directiveId: target.directiveId,
            combination: target.combination,
            status: r.status,
            durationMs: r.durationMs,
            hits,
            misses,
          });
          if (records.length > 100) records.shift();
          mWarm.inc({ status: r.status });
          log.info({ combination: target.combination.join(';'), status: r.status, durationMs: r.durationMs, hits, misses }, 'cache warmed');
        })
        .catch((err: unknown) => {
          mWarm.inc({ status: 'ERROR' });
          log.warn({ err, combination: target.combination.join(';') }, 'cache-warm build failed');
        })
        .finally(() => {
          running.delete(p);
          release();
        });
      running.add(p);
    }
  };

  return {
    apply(d) {
      queue = d.warm.map((t) => ({ directiveId: d.directive_id, combination: [...t.combination] }));
      pump();
    },
    start() {
      unsubscribe ??= slots.onChange(() => queueMicrotask(pump));
      pump();
    },
    async stop(abort) {
      stopped = true;
      queue = [];
      unsubscribe?.();
      const onAbort = (): void => cancel.abort();
      if (abort?.aborted) onAbort();
      abort?.addEventListener('abort', onAbort, { once: true });
      await Promise.all([...running]);
      abort?.removeEventListener('abort', onAbort);
    },
    get pending() {
      return queue.length;
    },
    get running() {
      return running.size;
    },
    history() {
      return [...records];
    },
  };
}
