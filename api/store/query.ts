/** Runs a bound query and maps ClickHouse failures to UnavailableError (503) without echoing SQL. */
import { UnavailableError } from '../../common/errors.js';
import type { ClickHouseClient, SqlFragment } from '../../sinks/index.js';

/** Rows of a SELECT built with `sql` (every value bound through `escapeValue`). */
export async function selectRows<T>(client: ClickHouseClient, query: SqlFragment): Promise<T[]> {
  try {
    const rs = await client.query({ query: query.text, format: 'JSONEachRow' });
    return await rs.json<T>();
  } catch (err) {
    const message = err instanceof Error ? (err.message.split('\n')[0]?.slice(0, 300) ?? '') : String(err);
    const missing = /Code: 60\b/.test(message) ? 'a table is missing (run `pulse migrate`): ' : '';
    throw new UnavailableError('clickhouse', missing + message, { cause: err, details: { missingTable: missing !== '' } });
  }
}

/** Number(x) keeping null (ClickHouse returns 64-bit integers as strings). */
export function num(v: unknown): number {
  return Number(v);
}

/** Number or null. */
export function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}
