/** Rows stored per table of the Pulse database (from `system.parts`, cheap at any size). */
import type { ClickHouseClient } from '../../../sinks/index.js';
import { sql } from '../../../sinks/index.js';
import { queryRows, type Catalog } from '../catalog.js';
import { num0 } from './columns.js';

/** Rows per table of the database (active parts; before ReplacingMergeTree de-duplication). */
export async function readRowCounts(clickhouse: ClickHouseClient, catalog: Catalog): Promise<Record<string, number>> {
  const rows = await queryRows<{ table: string; rows: string }>(
    clickhouse,
    sql`SELECT table, sum(rows) AS rows FROM system.parts WHERE database = ${catalog.database} AND active GROUP BY table ORDER BY table`,
  );
  return Object.fromEntries(rows.filter((r) => !r.table.startsWith('.inner')).map((r) => [r.table, num0(r.rows)]));
}
