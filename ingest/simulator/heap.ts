/** A binary min-heap of timed items; ties keep insertion order (so the simulation is deterministic). */

interface Node<T> {
  at: number;
  order: number;
  item: T;
}

/** Priority queue ordered by time, then by insertion. */
export interface TimeQueue<T> {
  push(at: number, item: T): void;
  /** Removes and returns the earliest item, or undefined when empty. */
  pop(): { at: number; item: T } | undefined;
  /** Time of the earliest item, or Infinity. */
  peekTime(): number;
  readonly size: number;
}

/** Creates an empty time queue. */
export function createTimeQueue<T>(): TimeQueue<T> {
  const a: Node<T>[] = [];
  let counter = 0;
  const less = (x: Node<T>, y: Node<T>): boolean => x.at < y.at || (x.at === y.at && x.order < y.order);
  const swap = (i: number, j: number): void => {
    const t = a[i] as Node<T>;
    a[i] = a[j] as Node<T>;
    a[j] = t;
  };
  return {
    push(at, item) {
      a.push({ at, order: counter++, item });
      let i = a.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(a[i] as Node<T>, a[p] as Node<T>)) break;
        swap(i, p);
        i = p;
      }
    },
    pop() {
      const top = a[0];
      if (!top) return undefined;
      const last = a.pop() as Node<T>;
      if (a.length > 0) {
        a[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < a.length && less(a[l] as Node<T>, a[m] as Node<T>)) m = l;
          if (r < a.length && less(a[r] as Node<T>, a[m] as Node<T>)) m = r;
          if (m === i) break;
          swap(i, m);
          i = m;
        }
      }
      return { at: top.at, item: top.item };
    },
    peekTime() {
      return a[0]?.at ?? Infinity;
    },
    get size() {
      return a.length;
    },
  };
}
