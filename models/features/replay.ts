/**
 * Replays completed builds through a {@link HistoryState} in event-time order: queue events at
 * `queued_at`, start events at `started_at`, outcomes at `started_at + duration_ms`. A visitor sees
 * each build just before its start is applied — with exactly the history a live scorer would have had.
 */
import { HistoryState } from './history-state.js';
import type { BuildInput, HistoryRecord } from './types.js';

/** Called for each build, in start order, before its start is applied to the state. */
export type ReplayVisitor = (record: HistoryRecord, input: BuildInput, state: HistoryState, index: number) => void;

/** Options of {@link replayHistory}. */
export interface ReplayOptions {
  /** State to continue (default: a fresh one). */
  state?: HistoryState;
  visit?: ReplayVisitor;
  /** Apply the outcomes still pending at the end (default true: the records are all finished). */
  flush?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** The input of a history record at its start time. */
export function inputOf(r: HistoryRecord): BuildInput {
  return {
    build_id: r.build_id,
    pool: r.pool,
    arch: r.arch,
    executor: r.executor,
    combination: r.combination,
    at: r.started_at,
    features: r.features,
  };
}

/** Sorts records by start time (then build id) in place and returns them. */
export function sortByStart(records: HistoryRecord[]): HistoryRecord[] {
  return records.sort((a, b) => a.started_at - b.started_at || (a.build_id < b.build_id ? -1 : a.build_id > b.build_id ? 1 : 0));
}

/** Replays `records` (sorted by start, see {@link sortByStart}) and returns the state. */
export function replayHistory(records: readonly HistoryRecord[], options: ReplayOptions = {}): HistoryState {
  const state = options.state ?? new HistoryState();
  const queued = records.filter((r) => r.queued_at !== null).sort((a, b) => (a.queued_at as number) - (b.queued_at as number));
  const heap = new FinishHeap();
  let q = 0;
  const total = records.length;
  for (let i = 0; i < total; i++) {
    const r = records[i] as HistoryRecord;
    const t = r.started_at;
    for (let top = heap.peek(); top && top.started_at + top.duration_ms <= t; top = heap.peek()) finish(state, heap.pop() as HistoryRecord);
    for (; q < queued.length && ((queued[q] as HistoryRecord).queued_at as number) <= t; q++) {
      const x = queued[q] as HistoryRecord;
      state.onQueued(x.build_id, x.pool, x.queued_at as number);
    }
    const input = inputOf(r);
    options.visit?.(r, input, state, i);
    state.onStarted(r.build_id, r.pool, t);
    heap.push(r);
    if (options.onProgress && (i + 1) % 10_000 === 0) options.onProgress(i + 1, total);
  }
  if (options.flush ?? true) for (let top = heap.pop(); top; top = heap.pop()) finish(state, top);
  options.onProgress?.(total, total);
  return state;
}

function finish(state: HistoryState, r: HistoryRecord): void {
  state.onFinished({
    build_id: r.build_id,
    pool: r.pool,
    combination: r.combination,
    finished_at: r.started_at + r.duration_ms,
    duration_ms: r.duration_ms,
    status: r.status,
  });
}

/** Min-heap of running builds by finish time. */
class FinishHeap {
  private readonly items: HistoryRecord[] = [];
  private key(i: number): number {
    const r = this.items[i] as HistoryRecord;
    return r.started_at + r.duration_ms;
  }
  peek(): HistoryRecord | undefined {
    return this.items[0];
  }
  push(r: HistoryRecord): void {
    const a = this.items;
    a.push(r);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.key(p) <= this.key(i)) break;
      [a[p], a[i]] = [a[i] as HistoryRecord, a[p] as HistoryRecord];
      i = p;
    }
  }
  pop(): HistoryRecord | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.key(l) < this.key(m)) m = l;
        if (r < a.length && this.key(r) < this.key(m)) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i] as HistoryRecord, a[m] as HistoryRecord];
        i = m;
      }
    }
    return top;
  }
}
