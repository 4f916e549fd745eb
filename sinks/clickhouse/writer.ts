/**
 * ClickHouse writer: JSONEachRow inserts split into bounded chunks, retried with the shared backoff
 * (common/retry.ts). Failures surface as {@link SinkWriteError} whose `retriable` says whether waiting
 * helps (server unreachable, overloaded) or not (bad SQL, unknown table, unparsable row).
 */
import { ClickHouseError } from '@clickhouse/client';
import { SinkWriteError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import { retry, type RetryOptions } from '../../common/retry.js';
import type { ClickHouseClient } from './client.js';
import { ident, type SqlFragment } from './sql.js';

/** Server error codes worth retrying: timeouts, overload, too many parts, network, read-only replica. */
const RETRIABLE_SERVER_CODES = new Set(['159', '164', '202', '209', '210', '241', '242', '252', '285', '319']);

/** Writes rows and runs reads against one database. */
export interface ClickHouseWriter {
  /** Database every unqualified table name refers to. */
  readonly database: string;
  /** Inserts rows (JSONEachRow) into `table` of the database; retries; throws SinkWriteError. */
  insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void>;
  /** Runs a SELECT (JSONEachRow) with the same retry policy; throws SinkWriteError. */
  select<T>(query: SqlFragment): Promise<T[]>;
}

/** Dependencies and options of {@link createClickHouseWriter}. */
export interface ClickHouseWriterDeps {
  client: ClickHouseClient;
  database: string;
  logger: Logger;
  metrics: Metrics;
  /** Rows per INSERT request (default 50 000). */
  maxRowsPerInsert?: number;
  /** Retry policy (default 5 attempts, 200 ms doubling up to 5 s). */
  retry?: RetryOptions;
}

/** Whether an error from @clickhouse/client is worth retrying. */
export function isRetriableClickHouseError(err: unknown): boolean {
  if (err instanceof ClickHouseError) return RETRIABLE_SERVER_CODES.has(err.code);
  return true; // connection refused/reset, timeouts: the server may come back
}

/** Creates the writer. */
export function createClickHouseWriter(deps: ClickHouseWriterDeps): ClickHouseWriter {
  const { client, database, logger } = deps;
  const maxRows = deps.maxRowsPerInsert ?? 50_000;
  const log = logger.child({ component: 'clickhouse-writer' });
  const duration = deps.metrics.histogram('sink_write_duration_seconds', 'ClickHouse insert latency', ['table']);
  const rowsWritten = deps.metrics.counter('sink_rows_written_total', 'rows inserted into ClickHouse', ['table']);
  const failures = deps.metrics.counter('sink_write_failures_total', 'failed ClickHouse requests (each attempt)', ['table']);

  const attempt = async <T>(table: string, fn: () => Promise<T>): Promise<T> =>
    retry(
      async () => {
        try {
          return await fn();
        } catch (err) {
          failures.inc({ table });
          throw new SinkWriteError(table, (err as Error).message, { cause: err, retriable: isRetriableClickHouseError(err) });
        }
      },
      {
        retries: 5,
        initialDelayMs: 200,
        maxDelayMs: 5_000,
        onRetry: (err, n, delayMs) =>
          log.warn({ table, attempt: n, delayMs, err: (err as Error).message }, 'ClickHouse request failed, retrying'),
        ...deps.retry,
      },
    );

  return {
    database,
    async insert(table, rows) {
      const qualified = ident(`${database}.${table}`).text;
      for (let i = 0; i < rows.length; i += maxRows) {
        const chunk = rows.slice(i, i + maxRows);
        const end = duration.startTimer({ table });
        await attempt(table, () => client.insert({ table: qualified, values: chunk, format: 'JSONEachRow' }));
        end();
        rowsWritten.inc({ table }, chunk.length);
      }
    },
    async select<T>(query: SqlFragment) {
      return attempt('<select>', async () => {
        const rs = await client.query({ query: query.text, format: 'JSONEachRow' });
        return rs.json<T>();
      });
    },
  };
}
