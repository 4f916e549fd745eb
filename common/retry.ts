/**
 * The one retry helper: exponential backoff with full jitter, driven by `PulseError.retriable`.
 * Used by ingest (produce) and sinks (ClickHouse writes) alike.
 */
import { PulseError } from './errors.js';

/** Options for {@link retry}. */
export interface RetryOptions {
  /** Attempts in total, including the first (default 5). `Infinity` retries forever. */
  retries?: number;
  /** First delay in ms (default 100). */
  initialDelayMs?: number;
  /** Largest delay in ms (default 10 000). */
  maxDelayMs?: number;
  /** Growth factor (default 2). */
  factor?: number;
  /** Decides whether an error is worth another attempt (default: `PulseError.retriable`, other errors yes). */
  isRetriable?: (err: unknown) => boolean;
  /** Called before each wait. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** Aborts the waiting (throws the last error). */
  signal?: AbortSignal;
  /** Random source in [0,1) (tests pass a fixed one). */
  random?: () => number;
  /** Sleep function (tests pass a fake). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Default retriability: PulseErrors say so themselves; unknown errors (network) are retried. */
export function defaultIsRetriable(err: unknown): boolean {
  return err instanceof PulseError ? err.retriable : true;
}

/** Sleeps `ms`, resolving early (without error) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolvePromise) => {
    if (signal?.aborted) return resolvePromise();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolvePromise();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Delay before attempt `attempt` (1-based count of failures so far). */
export function backoffDelay(
  attempt: number,
  o: Required<Pick<RetryOptions, 'initialDelayMs' | 'maxDelayMs' | 'factor'>>,
  random: () => number,
): number {
  const cap = Math.min(o.maxDelayMs, o.initialDelayMs * o.factor ** (attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

/** Runs `fn` until it succeeds, the error is not retriable, or attempts run out; rethrows the last error. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 5;
  const delays = { initialDelayMs: options.initialDelayMs ?? 100, maxDelayMs: options.maxDelayMs ?? 10_000, factor: options.factor ?? 2 };
  const isRetriable = options.isRetriable ?? defaultIsRetriable;
  const random = options.random ?? Math.random;
  const doSleep = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= retries || !isRetriable(err) || options.signal?.aborted) throw err;
      const delay = backoffDelay(attempt, delays, random);
      options.onRetry?.(err, attempt, delay);
      await doSleep(delay, options.signal);
      if (options.signal?.aborted) throw err;
    }
  }
}
