/**
 * ClickHouse schema migrations: ordered SQL files `deploy/clickhouse/migrations/NNNN_name.sql`,
 * recorded in `<db>.schema_migrations`. Applying is idempotent: applied versions are skipped, and a
 * changed file of an applied version is an error (write a new migration instead).
 *
 * Files use `{{db}}` for the database name; statements are separated by a `;` at the end of a line.
 * Only the SQL subset that works on ClickHouse 18.16 is allowed (see DESIGN.md).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MigrationError } from '../../common/errors.js';
import type { ClickHouseClient } from './client.js';
import { escapeValue, ident } from './sql.js';

/** Default folder of migration files. */
export const MIGRATIONS_DIR = resolve(new URL('../../deploy/clickhouse/migrations', import.meta.url).pathname);

/** One migration file. */
export interface Migration {
  version: number;
  name: string;
  checksum: string;
  statements: string[];
}

/** Splits a SQL file into statements (comment lines dropped). */
export function splitStatements(text: string): string[] {
  const noComments = text
    .split('\n')
    .filter((l) => !l.trim().startsWith('--'))
    .join('\n');
  return noComments
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Reads migration files in version order. */
export function loadMigrations(dir = MIGRATIONS_DIR, database: string): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const seen = new Set<number>();
  return files.map((file) => {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m) throw new MigrationError(file, 'file name must be NNNN_snake_name.sql');
    const version = Number(m[1]);
    if (seen.has(version)) throw new MigrationError(file, `duplicate version ${version}`);
    seen.add(version);
    const text = readFileSync(join(dir, file), 'utf8');
    const checksum = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const statements = splitStatements(text.replaceAll('{{db}}', ident(database).text));
    return { version, name: m[2] ?? file, checksum, statements };
  });
}

/** What {@link migrate} did. */
export interface MigrateResult {
  database: string;
  applied: { version: number; name: string; statements: number }[];
  skipped: number;
}

/** Applies pending migrations to `database` (created if missing). */
export async function migrate(
  client: ClickHouseClient,
  database: string,
  options: { dir?: string; progress?: (m: string) => void } = {},
): Promise<MigrateResult> {
  const db = ident(database).text;
  const migrations = loadMigrations(options.dir ?? MIGRATIONS_DIR, database);
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations (version UInt32, name String, checksum String, applied_at DateTime) ENGINE = MergeTree ORDER BY version`,
  });
  const rs = await client.query({ query: `SELECT version, checksum FROM ${db}.schema_migrations`, format: 'JSONEachRow' });
  const applied = new Map((await rs.json<{ version: number; checksum: string }>()).map((r) => [Number(r.version), r.checksum]));
  const result: MigrateResult = { database, applied: [], skipped: 0 };
  for (const m of migrations) {
    const have = applied.get(m.version);
    if (have !== undefined) {
      if (have !== m.checksum)
        throw new MigrationError(
          `${m.version}_${m.name}`,
          `applied with checksum ${have} but the file now has ${m.checksum}; add a new migration instead of editing an applied one`,
        );
      result.skipped++;
      continue;
    }
    options.progress?.(`applying migration ${String(m.version).padStart(4, '0')}_${m.name}`);
    for (const [i, statement] of m.statements.entries()) {
      try {
        await client.command({ query: statement });
      } catch (err) {
        throw new MigrationError(`${m.version}_${m.name}`, `statement ${i + 1} failed: ${(err as Error).message}`, { cause: err });
      }
    }
    await client.command({
      query: `INSERT INTO ${db}.schema_migrations (version, name, checksum, applied_at) VALUES (${escapeValue(m.version)}, ${escapeValue(m.name)}, ${escapeValue(m.checksum)}, now())`,
    });
    result.applied.push({ version: m.version, name: m.name, statements: m.statements.length });
  }
  return result;
}
