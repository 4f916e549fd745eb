/**
 * Keeping a consumer-group member alive and consuming: {@link withHeartbeats} sends heartbeats while a
 * long batch or flush runs (so the member is not evicted after `sessionTimeout`), and
 * {@link superviseConsumer} restarts consumption after kafkajs gave up on a crash (`restart: false`,
 * e.g. a non-retriable UNKNOWN_MEMBER_ID while re-joining) — otherwise the process would stay alive
 * at 0 events/s forever. The first start goes through the same restarts when the broker is not
 * reachable yet (a processor started while Kafka restarts must not exit). Restarting re-joins the
 * group, which reloads checkpointed state and resumes from the committed offsets; nothing here
 * commits anything.
 */
import type { Logger } from '../../common/logger.js';
import { backoffDelay } from '../../common/retry.js';

/**
 * Runs `work` while calling `heartbeat` every `intervalMs`. A heartbeat failure (evicted, rebalancing)
 * does not abort the work; it is rethrown once the work finished so the consumer re-joins.
 */
export async function withHeartbeats<T>(heartbeat: () => Promise<void>, intervalMs: number, work: () => Promise<T>): Promise<T> {
  let failure: { error: unknown } | undefined;
  let beating: Promise<void> | undefined;
  const timer = setInterval(
    () => {
      if (failure || beating) return;
      beating = heartbeat()
        .catch((error: unknown) => {
          failure = { error };
        })
        .finally(() => {
          beating = undefined;
        });
    },
    Math.max(10, intervalMs),
  );
  let result: T;
  try {
    result = await work();
  } finally {
    clearInterval(timer);
    await beating;
  }
  if (failure) throw failure.error;
  return result;
}

/** The part of a consumer {@link superviseConsumer} needs. */
export interface SupervisedConsumer {
  /** Registers a listener for crashes; `restart` tells whether the client restarts by itself. */
  onCrash(listener: (crash: { error: Error; restart: boolean }) => void): void;
  /** Connects and runs the consumer (first start, or again after the client disconnected it on a crash). */
  restart(): Promise<void>;
}

/** Dependencies of {@link superviseConsumer}. */
export interface SuperviseDeps {
  consumer: SupervisedConsumer;
  logger: Logger;
  /** True once the processor is stopping (no restarts any more). */
  isStopping: () => boolean;
  /** First restart delay (doubles per failed attempt, capped at 30 s). */
  initialDelayMs?: number;
  /** Called on every restart attempt (metrics). */
  onRestart?: () => void;
}

/** Handle of {@link superviseConsumer}. */
export interface ConsumerSupervisor {
  /** Starts the consumer now; when that fails, keeps retrying with backoff. Resolves once the first attempt ended. */
  start(): Promise<void>;
  /** Cancels a pending restart (the processor is stopping). */
  cancel(): void;
}

/** Restarts the consumer whenever it crashed for good (or could not start). */
export function superviseConsumer(deps: SuperviseDeps): ConsumerSupervisor {
  const { consumer, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let attempts = 0;
  const schedule = (): void => {
    if (deps.isStopping() || timer) return;
    attempts++;
    const delay = backoffDelay(attempts, { initialDelayMs: deps.initialDelayMs ?? 1000, maxDelayMs: 30_000, factor: 2 }, Math.random);
    timer = setTimeout(() => {
      timer = undefined;
      if (deps.isStopping()) return;
      deps.onRestart?.();
      consumer.restart().then(
        () => {
          // attempts are not reset here: run() also resolves when the re-join itself crashed again.
          logger.info('consumer restarted after a crash: re-joining the group from committed offsets');
        },
        (err: unknown) => {
          logger.warn({ err: (err as Error).message, attempts }, 'consumer restart failed: retrying');
          schedule();
        },
      );
    }, delay);
  };
  consumer.onCrash(({ error, restart }) => {
    if (restart) {
      logger.warn({ err: error.message }, 'consumer crashed: kafkajs restarts it');
      return;
    }
    logger.error({ err: error.message }, 'consumer crashed without restart: restarting it');
    schedule();
  });
  return {
    async start() {
      try {
        await consumer.restart();
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'consumer could not start (Kafka unreachable?): retrying in the background');
        schedule();
      }
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
