/**
 * Event-time window math: tumbling windows aligned to the epoch, the per-partition watermark and the
 * lateness rule. Pure functions, shared by the processor and its tests.
 */

/** Window sizes every entity is aggregated at, with the suffix of their feature tables. */
export const WINDOW_SIZES = [
  { name: '1m', ms: 60_000 },
  { name: '5m', ms: 300_000 },
  { name: '1h', ms: 3_600_000 },
] as const;

/** Name of a window size (`1m`, `5m`, `1h`). */
export type WindowSizeName = (typeof WINDOW_SIZES)[number]['name'];

/** The finest window size: lateness is judged against it so an event updates all of its windows or none. */
export const FINEST_WINDOW_MS = 60_000;

/** Start (ms) of the window of `sizeMs` holding `eventTimeMs`. */
export function windowStart(eventTimeMs: number, sizeMs: number): number {
  return Math.floor(eventTimeMs / sizeMs) * sizeMs;
}

/** Lateness settings of a processor. */
export interface LatenessPolicy {
  /** Watermark = highest event time seen minus this (bounded out-of-orderness). */
  watermarkDelayMs: number;
  /** How long after its window closed an event may still update it. */
  allowedLatenessMs: number;
}

/** How an event relates to the watermark of its partition. */
export type Timeliness = 'on_time' | 'late' | 'too_late';

/** Watermark of a partition whose highest event time so far is `maxEventTimeMs` (`-Infinity` before any event). */
export function watermark(maxEventTimeMs: number, policy: LatenessPolicy): number {
  return maxEventTimeMs - policy.watermarkDelayMs;
}

/**
 * Classifies an event: `on_time` while its (finest) window is open, `late` when the window has closed
 * (watermark >= window end) but the watermark has not passed end + allowed lateness, `too_late` beyond.
 */
export function classify(eventTimeMs: number, watermarkMs: number, policy: LatenessPolicy): Timeliness {
  const end = windowStart(eventTimeMs, FINEST_WINDOW_MS) + FINEST_WINDOW_MS;
  if (watermarkMs < end) return 'on_time';
  if (watermarkMs < end + policy.allowedLatenessMs) return 'late';
  return 'too_late';
}

/** Whether a window [start, start+size) can be dropped from state: no event can update it any more. */
export function isExpired(startMs: number, sizeMs: number, watermarkMs: number, policy: LatenessPolicy): boolean {
  return watermarkMs >= startMs + sizeMs + policy.allowedLatenessMs;
}
