/**
 * Reads a `timestamp,value` CSV (ISO-8601 or epoch-ms timestamps) into points, with an InputError
 * naming the file, line and problem for anything unusable.
 */
import { InputError } from '../../../common/errors.js';

/** One parsed row; `timestamp` keeps the form it was written in (epoch ms number or ISO string). */
export interface SeriesRow {
  /** 1-based line in the file. */
  line: number;
  timestamp: number | string;
  /** Event time, ms since epoch. */
  t: number;
  value: number;
}

const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const EPOCH = /^-?\d{1,16}$/;

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

/** Parses the CSV text; `source` names the file in errors. */
export function parseSeriesCsv(text: string, source: string): SeriesRow[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').replace(/^\uFEFF/, '');
  const cols = header.split(',').map((c) => unquote(c).toLowerCase());
  if (cols.length !== 2 || cols[0] !== 'timestamp' || cols[1] !== 'value')
    throw new InputError(source, `line 1: header must be "timestamp,value" (got "${header.slice(0, 80)}")`, { details: { line: 1 } });
  const rows: SeriesRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (raw.trim() === '') {
      if (lines.slice(i + 1).every((l) => l.trim() === '')) break;
      throw new InputError(source, `line ${i + 1}: empty line`, { details: { line: i + 1 } });
    }
    const parts = raw.split(',');
    const bad = (why: string): InputError => new InputError(source, `line ${i + 1}: ${why}`, { details: { line: i + 1 } });
    if (parts.length !== 2) throw bad(`expected 2 columns (timestamp,value), got ${parts.length}`);
    const ts = unquote(parts[0] ?? '');
    const vs = unquote(parts[1] ?? '');
    let t: number;
    let timestamp: number | string;
    if (EPOCH.test(ts)) {
      t = Number(ts);
      timestamp = t;
    } else if (ISO.test(ts)) {
      t = Date.parse(ts);
      timestamp = ts;
      if (!Number.isFinite(t)) throw bad(`timestamp "${ts}" is not a valid date`);
    } else throw bad(`timestamp "${ts.slice(0, 40)}" is neither ISO-8601 nor epoch milliseconds`);
    if (vs === '') throw bad('value is empty');
    const value = Number(vs);
    if (!Number.isFinite(value)) throw bad(`value "${vs.slice(0, 40)}" is not a finite number`);
    rows.push({ line: i + 1, timestamp, t, value });
  }
  return rows;
}
