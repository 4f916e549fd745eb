/**
 * What the dashboard can read: the tables of the Pulse database and their columns, from
 * `system.columns`. Every section checks here first, so a table that another part has not created
 * yet becomes a clear "no data yet" message instead of a failed query.
 */
import type { ClickHouseClient } from '../../sinks/index.js';
import { sql, type SqlFragment } from '../../sinks/index.js';

/** Tables and columns (name → ClickHouse type) of one database. */
export interface Catalog {
  readonly database: string;
  /** True when the table exists. */
  has(table: string): boolean;
  /** Type of a column, or undefined when the table or the column does not exist. */
  type(table: string, column: string): string | undefined;
  /** The first of `candidates` that is a column of `table`. */
  pick(table: string, candidates: readonly string[]): string | undefined;
}

/** Builds a catalog from `(table, name, type)` rows. */
export function catalogFromRows(database: string, rows: readonly { table: string; name: string; type: string }[]): Catalog {
  const tables = new Map<string, Map<string, string>>();
  for (const r of rows) {
    let cols = tables.get(r.table);
    if (!cols) tables.set(r.table, (cols = new Map<string, string>()));
    cols.set(r.name, r.type);
  }
  return {
    database,
    has: (table) => tables.has(table),
    type: (table, column) => tables.get(table)?.get(column),
    pick: (table, candidates) => candidates.find((c) => tables.get(table)?.has(c)),
  };
}

/** Runs a read query and returns its rows (JSONEachRow; 64-bit integers arrive as strings). */
export async function queryRows<T>(clickhouse: ClickHouseClient, query: SqlFragment): Promise<T[]> {
  const rs = await clickhouse.query({ query: query.text, format: 'JSONEachRow' });
  return rs.json<T>();
}

/** Reads the catalog of `database`. */
export async function loadCatalog(clickhouse: ClickHouseClient, database: string): Promise<Catalog> {
  const rows = await queryRows<{ table: string; name: string; type: string }>(
    clickhouse,
    sql`SELECT table, name, type FROM system.columns WHERE database = ${database}`,
  );
  return catalogFromRows(database, rows);
}
