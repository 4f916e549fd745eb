/**
 * Mergeable quantile sketch: DDSketch (@datadog/sketches-js) with a 1% relative-accuracy guarantee —
 * for every quantile q, |estimate - exact| <= 0.01 * exact, where "exact" is the value of rank
 * q * (n - 1) (lower) in the sorted sample. Merging is exact (bin counts add), so per-partition
 * partial windows merge into the same sketch whatever the order.
 *
 * Serialization is the sparse list of non-empty bins of the library's own store (its protobuf form
 * is dense and ~1 ms per sketch, too slow for checkpoints of thousands of windows).
 */
import { DDSketch } from '@datadog/sketches-js';

/** Relative accuracy of every sketch the processors keep (stated in ANALYSTS.md and the migrations). */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

/** Serialized sketch: `[zeroCount, key1, count1, key2, count2, …]` (empty array: empty sketch). */
export type SerializedSketch = number[];

/** Creates an empty sketch. Values must be >= 0 (durations). */
export function newSketch(): DDSketch {
  return new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });
}

/** Serializes the bins of a sketch (count, sum, min and max are tracked by the caller). */
export function sketchToArray(sketch: DDSketch | undefined): SerializedSketch {
  if (!sketch || sketch.count === 0) return [];
  const out: number[] = [sketch.zeroCount];
  const { bins, offset } = sketch.store;
  for (let i = 0; i < bins.length; i++) {
    const c = bins[i];
    if (c) out.push(i + offset, c);
  }
  return out;
}

/**
 * Rebuilds a sketch from {@link sketchToArray} into a FRESH sketch, so the value mapping is always the
 * in-process one and restored sketches file new values exactly like never-serialized ones.
 */
export function sketchFromArray(data: SerializedSketch): DDSketch | undefined {
  if (data.length === 0) return undefined;
  const s = newSketch();
  const zero = data[0] ?? 0;
  s.zeroCount = zero;
  s.count = zero;
  for (let i = 1; i + 1 < data.length; i += 2) {
    const key = data[i] ?? 0;
    const count = data[i + 1] ?? 0;
    s.store.add(key, count);
    s.count += count;
  }
  return s;
}

/** Value at quantile q, or null when the sketch is empty. */
export function quantileOrNull(sketch: DDSketch | undefined, q: number): number | null {
  return !sketch || sketch.count === 0 ? null : sketch.getValueAtQuantile(q);
}
