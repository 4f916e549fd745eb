/**
 * CSV form of a trace (documented in api/pool-sim/TRACES.md):
 * `arrival_ms,pool,job_id,combination,fixed_ms,layer_ms` — combination and layer_ms are `;`-separated
 * lists of equal length; instead of fixed_ms+layer_ms a row may give `duration_ms` (total cold time),
 * which is split by the catalogue's weights with `fixedShare` as the non-cacheable part.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { InputError, ValidationError } from '../../common/errors.js';
import { parseCombination } from '../../ingest/index.js';
import { layersOf, sortTrace, splitColdTime, type Trace, type TraceJob } from './trace.js';

/** The header written by {@link formatTraceCsv}. */
export const TRACE_CSV_COLUMNS = ['arrival_ms', 'pool', 'job_id', 'combination', 'fixed_ms', 'layer_ms'] as const;

const REQUIRED = ['arrival_ms', 'pool', 'combination'] as const;

function num(value: string | undefined, field: string): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new ValidationError(field, `"${value ?? ''}" is not a non-negative number`);
  return n;
}

/** Parses CSV text into a trace; errors name the line and column. */
export function parseTraceCsv(text: string, name: string, fixedShare = 0.25): Trace {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, comment: '#' }) as Record<string, string>[];
  } catch (err) {
    throw new InputError(name, `not valid CSV: ${(err as Error).message}`, { cause: err });
  }
  const first = rows[0];
  if (!first) throw new InputError(name, 'has no job rows');
  for (const col of REQUIRED)
    if (!(col in first))
      throw new InputError(name, `missing column "${col}" (need ${REQUIRED.join(', ')} and fixed_ms+layer_ms or duration_ms)`);
  const jobs = rows.map((r, i): TraceJob => {
    const at = `${name}:line ${i + 2}`;
    const combination = parseCombination(r.combination ?? '', { field: `${at}.combination` });
    let fixedMs: number;
    let coldMs: number[];
    if (r.layer_ms !== undefined && r.layer_ms !== '') {
      coldMs = r.layer_ms.split(';').map((v, j) => num(v, `${at}.layer_ms[${j}]`));
      if (coldMs.length !== combination.length)
        throw new ValidationError(`${at}.layer_ms`, `has ${coldMs.length} values for ${combination.length} combination items`);
      fixedMs = num(r.fixed_ms ?? '0', `${at}.fixed_ms`);
    } else if (r.duration_ms !== undefined && r.duration_ms !== '') {
      ({ fixedMs, coldMs } = splitColdTime(combination, num(r.duration_ms, `${at}.duration_ms`), fixedShare));
    } else {
      throw new ValidationError(at, 'needs layer_ms (with fixed_ms) or duration_ms');
    }
    const pool = r.pool ?? '';
    if (pool === '') throw new ValidationError(`${at}.pool`, 'is empty');
    return {
      id: r.job_id || `job-${i + 1}`,
      arrivalMs: num(r.arrival_ms, `${at}.arrival_ms`),
      pool,
      combination,
      layers: layersOf(combination, coldMs),
      fixedMs,
    };
  });
  return sortTrace({ name, source: `csv ${name}`, jobs });
}

/** Reads a trace CSV file (InputError when it cannot be read). */
export async function readTraceCsv(file: string): Promise<Trace> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError('--trace', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parseTraceCsv(text, file);
}

/** Formats a trace as CSV (with fixed_ms + layer_ms, lossless). */
export function formatTraceCsv(trace: Trace): string {
  const lines = [TRACE_CSV_COLUMNS.join(',')];
  for (const j of trace.jobs) {
    lines.push([j.arrivalMs, j.pool, j.id, j.combination.join(';'), j.fixedMs, j.layers.map((l) => l.coldMs).join(';')].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Writes a trace CSV file. */
export async function writeTraceCsv(file: string, trace: Trace): Promise<void> {
  await writeFile(file, formatTraceCsv(trace));
}
