/**
 * Reads a history CSV in the import format of issue 3 (`pulse import builds`): header row, required
 * `build_id, pool, started_at` (ISO-8601 or epoch ms), `duration_ms`, `status` (passed, failed, errored,
 * cancelled); optional `combination` (`;`-separated module@version), `executor`, `queued_at`, `arch`,
 * and numeric `f_<name>` columns. The ingest part had no shared row parser when this was written, so
 * this is a small one of the models part. Bad rows are collected with their line numbers and skipped.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { InputError, ValidationError } from '../../common/errors.js';
import type { HistoryRecord, OutcomeStatus } from '../features/types.js';

/** A rejected row. */
export interface RejectedRow {
  line: number;
  reason: string;
}

/** What {@link readHistoryCsv} returns. */
export interface CsvHistory {
  records: HistoryRecord[];
  rejected: RejectedRow[];
  /** Total rejected (only the first 100 are kept in `rejected`). */
  rejectedCount: number;
}

const REQUIRED = ['build_id', 'pool', 'started_at', 'duration_ms', 'status'] as const;
const STATUSES: Record<string, OutcomeStatus> = { passed: 'PASSED', failed: 'FAILED', errored: 'ERRORED', cancelled: 'CANCELLED' };

/** Parses a time as epoch ms (integer) or ISO-8601; NaN when neither. */
export function parseTime(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return NaN;
  return Date.parse(t);
}

/** Converts one CSV row (by header name) to a record; throws a ValidationError naming the column. */
export function rowToRecord(row: Record<string, string>): HistoryRecord {
  const need = (k: string): string => {
    const v = row[k]?.trim() ?? '';
    if (v === '') throw new ValidationError(k, 'is empty');
    return v;
  };
  const startedAt = parseTime(need('started_at'));
  if (!Number.isFinite(startedAt)) throw new ValidationError('started_at', `"${row.started_at}" is not ISO-8601 or epoch ms`);
  const duration = Number(need('duration_ms'));
  if (!Number.isFinite(duration) || duration < 0)
    throw new ValidationError('duration_ms', `"${row.duration_ms}" is not a non-negative number`);
  const status = STATUSES[need('status').toLowerCase()];
  if (!status) throw new ValidationError('status', `"${row.status}" is not passed, failed, errored or cancelled`);
  let queuedAt: number | null = null;
  if (row.queued_at !== undefined && row.queued_at.trim() !== '') {
    queuedAt = parseTime(row.queued_at);
    if (!Number.isFinite(queuedAt)) throw new ValidationError('queued_at', `"${row.queued_at}" is not ISO-8601 or epoch ms`);
    if (queuedAt > startedAt) throw new ValidationError('queued_at', 'is after started_at');
  }
  const features: Record<string, number> = {};
  for (const [k, v] of Object.entries(row)) {
    if (!k.startsWith('f_') || v.trim() === '') continue;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new ValidationError(k, `"${v}" is not a number`);
    features[k.slice(2)] = n;
  }
  const combination = (row.combination ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return {
    build_id: need('build_id'),
    pool: need('pool'),
    arch: row.arch?.trim() || 'amd64',
    executor: row.executor?.trim() || null,
    combination,
    queued_at: queuedAt,
    started_at: startedAt,
    duration_ms: Math.round(duration),
    status,
    features,
  };
}

/** Streams and parses a history CSV. Throws InputError when the file or its header is unusable. */
export async function readHistoryCsv(file: string): Promise<CsvHistory> {
  const out: CsvHistory = { records: [], rejected: [], rejectedCount: 0 };
  const input = createReadStream(file);
  const parser = input.pipe(parse({ columns: true, skip_empty_lines: true, trim: false, relax_column_count: true, info: true }));
  // pipe() does not forward read errors (missing file): hand them to the parser so the loop throws.
  input.on('error', (err) => parser.destroy(err));
  let checkedHeader = false;
  try {
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (!checkedHeader) {
        const missing = REQUIRED.filter((k) => !(k in item.record));
        if (missing.length > 0) throw new InputError(file, `missing required column(s) ${missing.join(', ')}`);
        checkedHeader = true;
      }
      try {
        out.records.push(rowToRecord(item.record));
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        out.rejectedCount++;
        if (out.rejected.length < 100) out.rejected.push({ line: item.info.lines, reason: (err as Error).message });
      }
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(file, (err as Error).message, { cause: err });
  }
  return out;
}
