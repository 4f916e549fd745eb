/**
 * Commit point of one partition when messages finish out of order: Kafka stores one offset per
 * partition, so an offset may be committed only when every message before it has finished too.
 */

/** Tracks the messages of one partition taken in offset order. */
export interface OffsetTracker {
  /** Registers a message as taken (offsets must increase). */
  take(offset: string): void;
  /** Marks a taken message finished; returns the new commit offset (next to read) when it advanced. */
  finish(offset: string): string | null;
  /** Messages taken and not yet finished. */
  readonly pending: number;
}

/** Creates a tracker. */
export function createOffsetTracker(): OffsetTracker {
  const order: bigint[] = [];
  const finished = new Set<bigint>();
  let last: bigint | null = null;
  return {
    take(offset) {
      const o = BigInt(offset);
      if (last !== null && o <= last) throw new RangeError(`offset ${offset} taken out of order (after ${last})`);
      last = o;
      order.push(o);
    },
    finish(offset) {
      finished.add(BigInt(offset));
      let advanced: bigint | null = null;
      while (order.length > 0 && finished.has(order[0] as bigint)) {
        const o = order.shift() as bigint;
        finished.delete(o);
        advanced = o;
      }
      return advanced === null ? null : (advanced + 1n).toString();
    },
    get pending() {
      return order.length;
    },
  };
}
