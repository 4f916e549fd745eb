/**
 * Writes captured flushes in the background, one at a time and in order, so the consumer keeps
 * applying events while ClickHouse works (a flush is a few round trips of up to a second each on a
 * busy server; writing them inline paced the whole processor). A failed write is retried — the same
 * job, with exponential backoff — until it succeeds; offsets are committed only after their job was
 * written. The caller captures the next job only once {@link FlushWriter.busy} is false.
 */
import type { Logger } from '../../common/logger.js';
import { backoffDelay, sleep } from '../../common/retry.js';
import type { CommitOffset, FlushJob } from '../features/processor.js';

/** Dependencies of {@link createFlushWriter}. */
export interface FlushWriterDeps {
  write(job: FlushJob): Promise<CommitOffset[]>;
  /** Commits offsets; a failure is logged (the checkpoint is ahead: the partition's next owner resumes from it). */
  commit(offsets: CommitOffset[]): Promise<void>;
  /** A write failed; the job is retried after `retryInMs` (the caller pauses consumption). */
  onFailure(err: unknown, failures: number, retryInMs: number): void;
  /** A write succeeded after failures (the caller resumes consumption). */
  onRecovered(): void;
  /** True once the processor is stopping: a failing job is given up instead of retried. */
  isStopping(): boolean;
  logger: Logger;
  /** First retry delay (default 500 ms, doubling up to 30 s). */
  initialDelayMs?: number;
}

/** Background writer of flush jobs. */
export interface FlushWriter {
  /** Whether a job is being written (or retried). */
  busy(): boolean;
  /** Starts writing `job`; throws if another job is still being written (or the writer broke). */
  start(job: FlushJob): void;
  /** Resolves once no job is being written (rejects if the writer broke). */
  idle(): Promise<void>;
  /** Forgets the current job (partitions reassigned): it is neither retried nor committed. Clears a breakage. */
  abandon(): void;
}

/** Creates the writer. */
export function createFlushWriter(deps: FlushWriterDeps): FlushWriter {
  let current: { job: FlushJob; abandoned: boolean; done: Promise<void> } | undefined;
  // An unexpected failure of the loop itself: later jobs must not be written over the lost one (their
  // checkpoints would skip its events), so start()/idle() throw until abandon() — the consumer crashes,
  // re-joins, and the processor replays from its checkpoints.
  let broken: { error: unknown } | undefined;
  // The callbacks pause/resume the consumer, which throws while it is between a crash and its restart:
  // that must neither lose the job nor leave a rejected promise behind.
  const safely = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, `${what} failed`);
    }
  };

  const run = async (entry: { job: FlushJob; abandoned: boolean }): Promise<void> => {
    for (let failures = 0; ; ) {
      try {
        const offsets = await deps.write(entry.job);
        if (entry.abandoned) return;
        if (failures > 0) safely('resuming consumption', () => deps.onRecovered());
        if (offsets.length > 0)
          await deps
            .commit(offsets)
            .catch((err: unknown) => deps.logger.warn({ err: (err as Error).message }, 'offset commit failed (rebalance?)'));
        return;
      } catch (err) {
        if (entry.abandoned) return;
        failures++;
        const delay = backoffDelay(failures, { initialDelayMs: deps.initialDelayMs ?? 500, maxDelayMs: 30_000, factor: 2 }, Math.random);
        safely('pausing consumption', () => deps.onFailure(err, failures, delay));
        if (deps.isStopping()) {
          deps.logger.warn({ err: (err as Error).message }, 'stopping: flush not written (its events are replayed on restart)');
          return;
        }
        await sleep(delay);
        if (entry.abandoned) return;
      }
    }
  };

  return {
    busy: () => current !== undefined,
    start(job) {
      if (broken) throw broken.error;
      if (current) throw new Error('a flush is still being written');
      const entry = { job, abandoned: false, done: Promise.resolve() };
      entry.done = run(entry)
        .catch((error: unknown) => {
          broken = { error };
          deps.logger.error({ err: error }, 'flush writer failed: consumption stops until the group is re-joined');
        })
        .finally(() => {
          if (current === entry) current = undefined;
        });
      current = entry;
    },
    idle: async () => {
      while (current) await current.done;
      if (broken) throw broken.error;
    },
    abandon() {
      if (current) current.abandoned = true;
      current = undefined;
      broken = undefined;
    },
  };
}
