/**
 * One CSV row of build history → build events. Required columns: build_id, pool, started_at
 * (ISO-8601 or epoch ms), duration_ms, status (passed|failed|errored|cancelled). Optional: combination
 * (`;`-separated module@version), executor, queued_at, job_id, arch, failure_category, and numeric
 * `f_<name>` feature columns. Event ids derive from the build id, so importing twice gives the same events.
 */
import { ValidationError } from '../../common/errors.js';
import { parseCombination } from '../catalogue.js';
import type { BuildEvent, BuildStatus } from '../contracts/types.js';

/** Columns a history CSV must have. */
export const REQUIRED_COLUMNS = ['build_id', 'pool', 'started_at', 'duration_ms', 'status'] as const;
/** Optional columns besides `f_<name>`. */
export const OPTIONAL_COLUMNS = ['combination', 'executor', 'queued_at', 'job_id', 'arch', 'failure_category'] as const;

const STATUSES: Record<string, BuildStatus> = { passed: 'PASSED', failed: 'FAILED', errored: 'ERRORED', cancelled: 'CANCELLED' };
const FEATURE_RE = /^f_[a-z0-9_]+$/i;

function time(row: Record<string, string>, column: string): number {
  const text = (row[column] ?? '').trim();
  const ms = /^\d{1,16}$/.test(text) ? Number(text) : /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) throw new ValidationError(column, `"${text}" is not an ISO-8601 time or epoch milliseconds`);
  return ms;
}

function required(row: Record<string, string>, column: string): string {
  const v = (row[column] ?? '').trim();
  if (v === '') throw new ValidationError(column, 'is required but empty');
  return v;
}

/** Converts a row (header → cell) to QUEUED (when queued_at is given), STARTED and FINISHED events. */
export function rowToBuildEvents(row: Record<string, string>, line: number, producerId: string): BuildEvent[] {
  const buildId = required(row, 'build_id');
  const pool = required(row, 'pool');
  const startedAt = time(row, 'started_at');
  const durationText = required(row, 'duration_ms');
  const duration = Number(durationText);
  if (!Number.isInteger(duration) || duration < 0)
    throw new ValidationError('duration_ms', `"${durationText}" is not a non-negative integer`);
  const statusText = required(row, 'status');
  const status = STATUSES[statusText.toLowerCase()];
  if (!status) throw new ValidationError('status', `"${statusText}" is not one of passed, failed, errored, cancelled`);
  const combinationText = (row.combination ?? '').trim();
  const combination = combinationText === '' ? [] : parseCombination(combinationText);
  const queuedAt = (row.queued_at ?? '').trim() === '' ? undefined : time(row, 'queued_at');
  if (queuedAt !== undefined && queuedAt > startedAt) throw new ValidationError('queued_at', 'is later than started_at');
  const features: Record<string, number> = {};
  for (const [column, cell] of Object.entries(row)) {
    if (!FEATURE_RE.test(column) || cell.trim() === '') continue;
    const n = Number(cell);
    if (!Number.isFinite(n)) throw new ValidationError(column, `"${cell}" is not a number`);
    features[column.slice(2)] = n;
  }
  const executor = (row.executor ?? '').trim() || null;
  const failure = (row.failure_category ?? '').trim() || null;
  const base = (type: BuildEvent['type'], at: number, k: number): BuildEvent => ({
    event_id: `import-${buildId}-${type.toLowerCase()}`,
    event_time: at,
    producer_id: producerId,
    seq: line * 3 + k,
    type,
    build_id: buildId,
    job_id: (row.job_id ?? '').trim() || buildId,
    pool,
    executor: type === 'QUEUED' ? null : executor,
    arch: (row.arch ?? '').trim() || 'amd64',
    combination,
    queue_wait_ms: type !== 'QUEUED' && queuedAt !== undefined ? startedAt - queuedAt : null,
    duration_ms: null,
    status: null,
    failure_category: null,
    image_size_bytes: null,
    layer_count: null,
    sbom_generation_ms: null,
    features,
  });
  const events: BuildEvent[] = [];
  if (queuedAt !== undefined) events.push(base('QUEUED', queuedAt, 0));
  events.push(base('STARTED', startedAt, 1));
  const finished = base('FINISHED', startedAt + duration, 2);
  finished.duration_ms = duration;
  finished.status = status;
  finished.failure_category = status === 'PASSED' ? null : failure;
  events.push(finished);
  return events;
}

/** Checks a header; returns the columns that will be ignored. Throws naming missing columns. */
export function checkHeader(columns: readonly string[]): string[] {
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0)
    throw new ValidationError('header', `missing required column(s): ${missing.join(', ')}`, { details: { missing } });
  const known = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);
  return columns.filter((c) => !known.has(c) && !FEATURE_RE.test(c));
}
