/**
 * Shared plumbing of the benchmark scripts: flag parsing, the `--json` result, progress on stderr,
 * and percentile helpers. A benchmark prints numbers; it never fails on a threshold.
 */

/** Flags common to every bench script. */
export interface BenchFlags {
  json: boolean;
  /** Scale factor for data sizes (default 1; `--quick` = 0.2). */
  scale: number;
}

/** Parses `--json`, `--quick`, `--scale N`. */
export function benchFlags(argv: readonly string[] = process.argv.slice(2)): BenchFlags {
  const i = argv.indexOf('--scale');
  const scale = i >= 0 ? Number(argv[i + 1]) : argv.includes('--quick') ? 0.2 : 1;
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`--scale must be a positive number, got ${argv[i + 1]}`);
  return { json: argv.includes('--json'), scale };
}

/** A progress line on stderr. */
export function progress(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

/** Prints the result: JSON on stdout with --json, else `human` lines. */
export function report(flags: BenchFlags, result: Record<string, unknown>, human: string[]): void {
  process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : `${human.join('\n')}\n`);
}

/** Quantile of a sorted array (nearest rank). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** Rounds for display. */
export function r(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
