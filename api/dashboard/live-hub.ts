/**
 * Live updates: one refresh loop per range that has subscribers, shared by every open page, so N
 * browsers cost one set of ClickHouse queries per interval. Loops stop when the last page leaves.
 */
import type { Logger } from '../../common/logger.js';
import type { RangeId } from './ranges.js';
import type { Snapshot } from './types.js';

/** Receives each new snapshot of a range. */
export type SnapshotListener = (snapshot: Snapshot) => void;

/** Collaborators and settings of {@link createLiveHub}. */
export interface LiveHubDeps {
  /** Reads a fresh snapshot. */
  build: (range: RangeId) => Promise<Snapshot>;
  /** Interval between refreshes of a range with subscribers. */
  refreshMs: number;
  logger: Logger;
  now: () => number;
}

/** The shared refresh loops. */
export interface LiveHub {
  /** A snapshot no older than half the refresh interval (concurrent callers share one read). */
  snapshot(range: RangeId): Promise<Snapshot>;
  /** Calls `listener` after every refresh of `range`; returns the unsubscribe function. */
  subscribe(range: RangeId, listener: SnapshotListener): () => void;
  /** Number of subscribers (all ranges). */
  subscribers(): number;
  /** Stops every loop and drops the subscribers. */
  close(): void;
}

interface RangeState {
  listeners: Set<SnapshotListener>;
  timer: NodeJS.Timeout | undefined;
  cached: { at: number; value: Snapshot } | undefined;
  inflight: Promise<Snapshot> | undefined;
}

/** Creates the hub. */
export function createLiveHub(deps: LiveHubDeps): LiveHub {
  const states = new Map<RangeId, RangeState>();
  let closed = false;
  const stateOf = (range: RangeId): RangeState => {
    let s = states.get(range);
    if (!s) states.set(range, (s = { listeners: new Set(), timer: undefined, cached: undefined, inflight: undefined }));
    return s;
  };

  const read = (range: RangeId): Promise<Snapshot> => {
    const s = stateOf(range);
    s.inflight ??= deps
      .build(range)
      .then((value) => {
        s.cached = { at: deps.now(), value };
        return value;
      })
      .finally(() => {
        s.inflight = undefined;
      });
    return s.inflight;
  };

  const schedule = (range: RangeId): void => {
    const s = stateOf(range);
    if (closed || s.timer || s.listeners.size === 0) return;
    s.timer = setTimeout(() => {
      s.timer = undefined;
      if (s.listeners.size === 0) return;
      read(range)
        .then((snap) => {
          for (const l of [...s.listeners]) l(snap);
        })
        .catch((err: unknown) => deps.logger.warn({ err, range }, 'dashboard refresh failed'))
        .finally(() => schedule(range));
    }, deps.refreshMs);
    s.timer.unref();
  };

  return {
    snapshot(range) {
      const s = stateOf(range);
      if (s.cached && deps.now() - s.cached.at < deps.refreshMs / 2) return Promise.resolve(s.cached.value);
      return read(range);
    },
    subscribe(range, listener) {
      const s = stateOf(range);
      s.listeners.add(listener);
      schedule(range);
      return () => {
        s.listeners.delete(listener);
        if (s.listeners.size === 0 && s.timer) {
          clearTimeout(s.timer);
          s.timer = undefined;
        }
      };
    },
    subscribers() {
      let n = 0;
      for (const s of states.values()) n += s.listeners.size;
      return n;
    },
    close() {
      closed = true;
      for (const s of states.values()) {
        if (s.timer) clearTimeout(s.timer);
        s.timer = undefined;
        s.listeners.clear();
      }
    },
  };
}
