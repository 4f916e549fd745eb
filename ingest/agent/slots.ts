/**
 * Build slots: how many builds run at once. Jobs wait for a slot in FIFO order; cache-warm work takes a
 * slot only when one is idle and no job is waiting (lowest priority). Scaling changes the capacity at any
 * time without touching running builds: when it shrinks below the running count, slots drain — no new
 * build starts until the running count is under the new capacity.
 */

/** Frees a slot (idempotent). */
export type Release = () => void;

/** The slot pool of one agent. */
export interface Slots {
  readonly capacity: number;
  readonly running: number;
  /** Jobs waiting for a slot. */
  readonly waiting: number;
  setCapacity(capacity: number): void;
  /** Waits for a slot for a job; rejects with the signal's reason when aborted. */
  acquire(signal?: AbortSignal): Promise<Release>;
  /** A slot for low-priority work, or null when none is idle or a job is waiting. */
  tryAcquireIdle(): Release | null;
  /** Called whenever capacity, running or waiting changes. */
  onChange(listener: () => void): () => void;
}

/** Creates a slot pool with an initial capacity (≥ 0). */
export function createSlots(initial: number): Slots {
  if (!Number.isInteger(initial) || initial < 0) throw new RangeError(`slot capacity must be an integer >= 0, got ${initial}`);
  let capacity = initial;
  let running = 0;
  const waiters: { grant: (r: Release) => void }[] = [];
  const listeners = new Set<() => void>();
  const changed = (): void => listeners.forEach((l) => l());

  const release = (): Release => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      running -= 1;
      pump();
      changed();
    };
  };

  function pump(): void {
    while (running < capacity && waiters.length > 0) {
      const w = waiters.shift();
      if (!w) break;
      running += 1;
      w.grant(release());
    }
  }

  return {
    get capacity() {
      return capacity;
    },
    get running() {
      return running;
    },
    get waiting() {
      return waiters.length;
    },
    setCapacity(next) {
      if (!Number.isInteger(next) || next < 0) throw new RangeError(`slot capacity must be an integer >= 0, got ${next}`);
      capacity = next;
      pump();
      changed();
    },
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      if (running < capacity && waiters.length === 0) {
        running += 1;
        changed();
        return Promise.resolve(release());
      }
      return new Promise<Release>((resolve, reject) => {
        const waiter = {
          grant: (r: Release) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(r);
          },
        };
        const onAbort = (): void => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          changed();
          reject(signal?.reason as Error);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.push(waiter);
        changed();
      });
    },
    tryAcquireIdle() {
      if (running >= capacity || waiters.length > 0) return null;
      running += 1;
      changed();
      return release();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
