/** Ground truth of a simulation: what was produced and injected, to check consumers against. */
import type { TopicId } from '../../common/topics.js';
import type { Family } from '../contracts/types.js';
import type { Incident } from './incidents.js';

/** Finished builds of one pool in one minute of event time. */
export interface MinuteBuilds {
  pool: string;
  /** Start of the minute, ms since epoch. */
  minuteMs: number;
  finished: number;
  /** FAILED or ERRORED (not CANCELLED). */
  failed: number;
}

/** Everything a checker needs to know about a simulated run. */
export interface GroundTruth {
  seed: number;
  startMs: number;
  endMs: number;
  pools: string[];
  executors: string[];
  /** Events produced per family. */
  families: Partial<Record<Family, number>>;
  /** Events produced per topic id (`events.build`…); add the prefix for topic names. */
  topics: Partial<Record<TopicId, number>>;
  /** Total events. */
  total: number;
  /** Per (pool, minute), minutes with at least one finished build, ordered by minute then pool. */
  buildsPerMinute: MinuteBuilds[];
  incidents: Incident[];
}

/** Accumulates the ground truth while events are generated. */
export interface TruthRecorder {
  count(family: Family, topic: TopicId): void;
  finished(pool: string, atMs: number, failed: boolean): void;
  /** The run stopped early (event limit): end there, drop later incidents and clip running ones. */
  stoppedAt(atMs: number): void;
  snapshot(): GroundTruth;
}

/** Creates a recorder for a run's fixed facts. */
export function createTruthRecorder(
  fixed: Pick<GroundTruth, 'seed' | 'startMs' | 'endMs' | 'pools' | 'executors' | 'incidents'>,
): TruthRecorder {
  const families: Partial<Record<Family, number>> = {};
  const topics: Partial<Record<TopicId, number>> = {};
  const minutes = new Map<string, MinuteBuilds>();
  let total = 0;
  let endMs = fixed.endMs;
  return {
    count(family, topic) {
      families[family] = (families[family] ?? 0) + 1;
      topics[topic] = (topics[topic] ?? 0) + 1;
      total += 1;
    },
    finished(pool, atMs, failed) {
      const minuteMs = Math.floor(atMs / 60_000) * 60_000;
      const key = `${minuteMs}|${pool}`;
      let m = minutes.get(key);
      if (!m) minutes.set(key, (m = { pool, minuteMs, finished: 0, failed: 0 }));
      m.finished += 1;
      if (failed) m.failed += 1;
    },
    stoppedAt(atMs) {
      endMs = Math.min(endMs, atMs);
    },
    snapshot() {
      const incidents = fixed.incidents.filter((i) => i.startMs < endMs).map((i) => (i.endMs > endMs ? { ...i, endMs } : i));
      const buildsPerMinute = [...minutes.values()].sort((a, b) => a.minuteMs - b.minuteMs || a.pool.localeCompare(b.pool));
      return { ...fixed, endMs, families: { ...families }, topics: { ...topics }, total, buildsPerMinute, incidents };
    },
  };
}
