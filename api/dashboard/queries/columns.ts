/** Small helpers shared by the dashboard queries: time columns as ms, numbers from JSON rows. */
import { ident, raw, type SqlFragment } from '../../../sinks/index.js';
import type { Catalog } from '../catalog.js';

/** `db.table` as a quoted identifier. */
export function tableRef(catalog: Catalog, table: string): SqlFragment {
  return ident(`${catalog.database}.${table}`);
}

/** An expression giving the column as UInt64 ms since epoch, whether it is a DateTime or integer ms. */
export function msExpr(catalog: Catalog, table: string, column: string): SqlFragment {
  const type = catalog.type(table, column) ?? '';
  const col = ident(column).text;
  return raw(type.includes('DateTime') ? `toUInt64(toUnixTimestamp(${col})) * 1000` : `toUInt64(${col})`);
}

/** A number from a JSON row value (64-bit integers arrive as strings); null for missing or non-finite. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Like {@link num} but 0 instead of null. */
export function num0(v: unknown): number {
  return num(v) ?? 0;
}

/** A string from a JSON row value. */
export function str(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** The message of an error, for a section's "why no data" text. */
export function errorText(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.split('\n')[0]?.slice(0, 300) ?? m;
}
