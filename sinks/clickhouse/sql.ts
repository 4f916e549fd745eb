/**
 * The one escaping function for ClickHouse values. ClickHouse 18.16 has no server-side query
 * parameters, so every value is bound client-side here; identifiers go through {@link ident}.
 * Injection tests live in test/unit/sql.test.ts.
 */
import { ValidationError } from '../../common/errors.js';

/** A value that can be bound into a query. */
export type SqlValue = string | number | bigint | boolean | null | Date | readonly SqlValue[];

/** A fragment of SQL that is already safe (built by {@link sql}, {@link ident} or {@link raw}). */
export class SqlFragment {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Escapes a string literal: backslash and single quote are escaped, control characters too. */
function quoteString(s: string): string {
  let out = "'";
  for (const ch of s) {
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case "'":
        out += "\\'";
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\0':
        out += '\\0';
        break;
      default:
        out += ch < ' ' ? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}` : ch;
    }
  }
  return `${out}'`;
}

/** Renders one value as a ClickHouse literal. */
export function escapeValue(v: SqlValue | SqlFragment): string {
  if (v instanceof SqlFragment) return v.text;
  if (v === null) return 'NULL';
  if (typeof v === 'string') return quoteString(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new ValidationError('', `cannot bind non-finite number ${v}`);
    return String(v);
  }
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new ValidationError('', 'cannot bind an invalid Date');
    return `toDateTime(${Math.floor(v.getTime() / 1000)})`;
  }
  if (Array.isArray(v)) return `[${v.map((x: SqlValue) => escapeValue(x)).join(', ')}]`;
  throw new ValidationError('', `cannot bind value of type ${typeof v}`);
}

/** A quoted identifier (table, column, database); only plain identifiers are accepted. */
export function ident(name: string): SqlFragment {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(name))
    throw new ValidationError('', `"${name}" is not a valid identifier`);
  return new SqlFragment(
    name
      .split('.')
      .map((p) => `\`${p}\``)
      .join('.'),
  );
}

/** Trusted SQL text (never user input). */
export function raw(text: string): SqlFragment {
  return new SqlFragment(text);
}

/** Tagged template: interpolated values are escaped, fragments are inlined. */
export function sql(strings: TemplateStringsArray, ...values: readonly (SqlValue | SqlFragment)[]): SqlFragment {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += escapeValue(v) + (strings[i + 1] ?? '');
  });
  return new SqlFragment(out);
}

/** Joins fragments with a separator. */
export function joinSql(parts: readonly SqlFragment[], separator = ', '): SqlFragment {
  return new SqlFragment(parts.map((p) => p.text).join(separator));
}
