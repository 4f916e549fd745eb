/** Small numeric helpers shared by the scaling policies. */

/** Clamps `n` into [min, max] (min wins if the bounds cross). */
export function clampSlots(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, n));
}

/** Throws a RangeError naming `name` unless `value` is a finite number within [min, max]. */
export function checkRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) throw new RangeError(`${name} must be in [${min}, ${max}], got ${value}`);
  return value;
}
