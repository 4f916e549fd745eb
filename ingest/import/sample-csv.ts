/**
 * A generated build-history CSV (for the import benchmark and demos; never committed data): rows of
 * builds with catalogue combinations, optional queue times, two feature columns, and one malformed
 * row per `badEvery` rows so that rejection reporting is exercised too. Streams to a file.
 */
import { formatCombination, sampleCombination } from '../catalogue.js';
import { createRng } from '../simulator/rng.js';
import { openTextFile } from './csv-file.js';

/** Options of {@link writeSampleHistoryCsv}. */
export interface SampleCsvOptions {
  rows: number;
  seed?: number;
  /** One bad row every this many rows (default 10 000; 0 = none). */
  badEvery?: number;
  startMs?: number;
}

const STATUSES = ['passed', 'passed', 'passed', 'passed', 'passed', 'passed', 'passed', 'failed', 'errored', 'cancelled'];
const BAD = ['not-a-time', 'abc', 'green'];

/** Writes the CSV; resolves with the number of rows written and of deliberately bad rows. */
export async function writeSampleHistoryCsv(path: string, options: SampleCsvOptions): Promise<{ rows: number; bad: number }> {
  const rng = createRng(options.seed ?? 1);
  const badEvery = options.badEvery ?? 10_000;
  const out = await openTextFile(path);
  const write = (line: string): Promise<void> => out.write(line);
  await write('build_id,pool,started_at,duration_ms,status,combination,executor,queued_at,f_layers_requested,f_repo_size_mb\n');
  let t = options.startMs ?? Date.UTC(2025, 6, 1);
  let bad = 0;
  for (let i = 1; i <= options.rows; i++) {
    t += Math.round(rng.exponential(4000));
    const pool = `pool-${rng.int(1, 6)}`;
    const combination = sampleCombination(rng);
    const queued = rng.chance(0.7) ? new Date(t - rng.int(0, 120_000)).toISOString() : '';
    let started = new Date(t).toISOString();
    let duration = String(Math.round(rng.logNormal(240_000, 0.7)));
    let status = rng.pick(STATUSES);
    if (badEvery > 0 && i % badEvery === 0) {
      bad += 1;
      const which = rng.pick(BAD);
      if (which === 'not-a-time') started = which;
      else if (which === 'abc') duration = which;
      else status = which;
    }
    await write(
      `b${i},${pool},${started},${duration},${status},${formatCombination(combination)},${pool}-exec-${rng.int(1, 8)},${queued},${combination.length},${rng.int(5, 900)}\n`,
    );
  }
  await out.close();
  return { rows: options.rows, bad };
}
