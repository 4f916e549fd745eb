import { describe, expect, it } from 'vitest';
import { loadMigrations, MIGRATIONS_DIR, splitStatements } from '../../../sinks/index.js';

describe('migrations', () => {
  it('splits statements on a trailing semicolon and drops comment lines', () => {
    expect(splitStatements('-- c\nCREATE TABLE a (x UInt8) ENGINE = Memory;\n\nINSERT INTO a VALUES (1);\n')).toEqual([
      'CREATE TABLE a (x UInt8) ENGINE = Memory',
      'INSERT INTO a VALUES (1)',
    ]);
  });

  it('loads every migration file in version order with unique versions and the database substituted', () => {
    const ms = loadMigrations(MIGRATIONS_DIR, 'mydb');
    expect(ms.length).toBeGreaterThan(0);
    const versions = ms.map((m) => m.version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
    for (const m of ms) {
      expect(m.statements.length).toBeGreaterThan(0);
      for (const s of m.statements) expect(s).not.toContain('{{db}}');
    }
    expect(ms[0]?.statements.join('\n')).toContain('`mydb`.');
  });

  it('uses only the ClickHouse subset that works on 18.16', () => {
    for (const m of loadMigrations(MIGRATIONS_DIR, 'db'))
      for (const s of m.statements) {
        expect(s, `${m.version}_${m.name}`).not.toMatch(/DateTime64|LowCardinality|\bTTL\b|\bOVER\s*\(/i);
      }
  });
});
