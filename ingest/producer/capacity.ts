/**
 * Bounded pending capacity (messages and bytes) with FIFO waiters: the producer's backpressure.
 * A caller awaits `acquire()` until there is room; `release()` frees room when Kafka answered.
 */

/** A counting limit on messages and bytes. */
export interface Capacity {
  /** Resolves once `bytes` more fit (one message larger than the byte limit is let through alone). */
  acquire(bytes: number): Promise<void>;
  release(messages: number, bytes: number): void;
  readonly pendingMessages: number;
  readonly pendingBytes: number;
}

/** Creates a capacity limit. */
export function createCapacity(maxMessages: number, maxBytes: number): Capacity {
  let messages = 0;
  let bytes = 0;
  const waiters: { bytes: number; resolve: () => void }[] = [];
  const fits = (b: number): boolean => messages === 0 || (messages + 1 <= maxMessages && bytes + b <= maxBytes);
  const wake = (): void => {
    while (waiters.length > 0) {
      const w = waiters[0];
      if (!w || !fits(w.bytes)) return;
      waiters.shift();
      messages += 1;
      bytes += w.bytes;
      w.resolve();
    }
  };
  return {
    acquire(b) {
      if (waiters.length === 0 && fits(b)) {
        messages += 1;
        bytes += b;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiters.push({ bytes: b, resolve }));
    },
    release(m, b) {
      messages -= m;
      bytes -= b;
      wake();
    },
    get pendingMessages() {
      return messages;
    },
    get pendingBytes() {
      return bytes;
    },
  };
}
