/** Summary statistics of the simulator's outputs. */

/** Queue-wait summary, ms. */
export interface WaitSummary {
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank quantile of an ascending-sorted array (0 for an empty one). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? 0;
}

/** Summarises waits (does not modify the input). */
export function summariseWaits(waits: readonly number[]): WaitSummary {
  const s = Float64Array.from(waits).sort();
  const mean = s.length === 0 ? 0 : s.reduce((a, b) => a + b, 0) / s.length;
  return {
    mean,
    p50: quantileSorted(s, 0.5),
    p95: quantileSorted(s, 0.95),
    p99: quantileSorted(s, 0.99),
    max: s.length ? (s[s.length - 1] ?? 0) : 0,
  };
}

/** One time-series bucket of a run. */
export interface SeriesPoint {
  /** Bucket start, ms since epoch. */
  t: number;
  arrivals: number;
  /** Builds started in the bucket. */
  started: number;
  /** Mean over the bucket's decision ticks. */
  slots: number;
  running: number;
  queued: number;
  /** p95 wait of builds started in the bucket, ms. */
  waitP95Ms: number;
  /** Layer hit ratio of builds started in the bucket (NaN-free: 0 when none). */
  hitRatio: number;
}

/** Accumulates per-bucket series. */
export interface SeriesBuilder {
  arrival(t: number): void;
  started(t: number, waitMs: number, hits: number, lookups: number): void;
  sample(t: number, slots: number, running: number, queued: number): void;
  points(): SeriesPoint[];
}

interface Bucket {
  arrivals: number;
  waits: number[];
  hits: number;
  lookups: number;
  samples: number;
  slots: number;
  running: number;
  queued: number;
}

/** Creates a series builder with `bucketMs` buckets. */
export function createSeriesBuilder(bucketMs: number): SeriesBuilder {
  const buckets = new Map<number, Bucket>();
  const at = (t: number): Bucket => {
    const k = Math.floor(t / bucketMs) * bucketMs;
    let b = buckets.get(k);
    if (!b) {
      b = { arrivals: 0, waits: [], hits: 0, lookups: 0, samples: 0, slots: 0, running: 0, queued: 0 };
      buckets.set(k, b);
    }
    return b;
  };
  return {
    arrival: (t) => void (at(t).arrivals += 1),
    started(t, waitMs, hits, lookups) {
      const b = at(t);
      b.waits.push(waitMs);
      b.hits += hits;
      b.lookups += lookups;
    },
    sample(t, slots, running, queued) {
      const b = at(t);
      b.samples += 1;
      b.slots += slots;
      b.running += running;
      b.queued += queued;
    },
    points() {
      return [...buckets.entries()]
        .sort((x, y) => x[0] - y[0])
        .map(([t, b]) => {
          const n = Math.max(1, b.samples);
          return {
            t,
            arrivals: b.arrivals,
            started: b.waits.length,
            slots: b.slots / n,
            running: b.running / n,
            queued: b.queued / n,
            waitP95Ms: summariseWaits(b.waits).p95,
            hitRatio: b.lookups === 0 ? 0 : b.hits / b.lookups,
          };
        });
    },
  };
}
