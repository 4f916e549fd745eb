/** A binary min-heap of timed events; equal times keep insertion order, so runs are deterministic. */

interface Node<T> {
  at: number;
  seq: number;
  item: T;
}

/** Priority queue of events by time, then insertion. */
export interface EventQueue<T> {
  push(at: number, item: T): void;
  /** Removes and returns the earliest event, or undefined when empty. */
  pop(): { at: number; item: T } | undefined;
  readonly size: number;
}

/** Creates an empty queue. */
export function createEventQueue<T>(): EventQueue<T> {
  const h: Node<T>[] = [];
  let seq = 0;
  const less = (i: number, j: number): boolean => {
    const a = h[i] as Node<T>;
    const b = h[j] as Node<T>;
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  };
  const swap = (i: number, j: number): void => {
    const t = h[i] as Node<T>;
    h[i] = h[j] as Node<T>;
    h[j] = t;
  };
  return {
    push(at, item) {
      h.push({ at, seq: seq++, item });
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(i, p)) break;
        swap(i, p);
        i = p;
      }
    },
    pop() {
      const top = h[0];
      if (!top) return undefined;
      const last = h.pop() as Node<T>;
      if (h.length > 0) {
        h[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < h.length && less(l, m)) m = l;
          if (r < h.length && less(r, m)) m = r;
          if (m === i) break;
          swap(i, m);
          i = m;
        }
      }
      return { at: top.at, item: top.item };
    },
    get size() {
      return h.length;
    },
  };
}
