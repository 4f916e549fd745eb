/** Time ranges the page offers, each read from the feature table of a matching window size. */

/** A range of the page. */
export interface RangeSpec {
  id: RangeId;
  /** Feature table suffix (`pool_features_<window>`). */
  window: '1m' | '5m' | '1h';
  windowMs: number;
  /** How far back from the latest window the page looks. */
  spanMs: number;
}

/** Range ids accepted by `?range=`. */
export const RANGE_IDS = ['30m', '6h', '48h'] as const;
/** A range id. */
export type RangeId = (typeof RANGE_IDS)[number];

const MIN = 60_000;

/** The ranges, by id. */
export const RANGES: Readonly<Record<RangeId, RangeSpec>> = {
  '30m': { id: '30m', window: '1m', windowMs: MIN, spanMs: 30 * MIN },
  '6h': { id: '6h', window: '5m', windowMs: 5 * MIN, spanMs: 6 * 60 * MIN },
  '48h': { id: '48h', window: '1h', windowMs: 60 * MIN, spanMs: 48 * 60 * MIN },
};

/** Default range of the page. */
export const DEFAULT_RANGE: RangeId = '30m';

/** True when `s` is a range id. */
export function isRangeId(s: string): s is RangeId {
  return (RANGE_IDS as readonly string[]).includes(s);
}
