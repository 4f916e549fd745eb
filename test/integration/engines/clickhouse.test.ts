// @clickhouse/client against the real ClickHouse server: write, read, and the analyst user refused a write.
import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouse, ident, sql } from '../../../sinks/index.js';
import { testConfig, uniqueName } from '../../helpers/env.js';

describe('clickhouse (real server)', () => {
  const config = testConfig();
  const client = createClickHouse(config);
  const analyst = createClickHouse(config, { user: 'analyst', password: config.clickhouse.analystPassword });
  const db = uniqueName('engine');
  const table = ident(`${db}.t`);

  afterAll(async () => {
    await client.command({ query: `DROP DATABASE IF EXISTS ${ident(db).text}` });
    await client.close();
    await analyst.close();
  });

  it('writes and reads rows, binding hostile strings as data', async () => {
    await client.command({ query: `CREATE DATABASE ${ident(db).text}` });
    await client.command({
      query: `CREATE TABLE ${table.text} (pool String, n UInt32, ts DateTime) ENGINE = ReplacingMergeTree ORDER BY (pool, n)`,
    });
    const hostile = "x'); DROP TABLE t; --\\";
    await client.insert({
      table: `${db}.t`,
      format: 'JSONEachRow',
      values: [
        { pool: 'a', n: 1, ts: '2026-01-01 00:00:00' },
        { pool: hostile, n: 2, ts: '2026-01-01 00:01:00' },
      ],
    });
    const rs = await client.query({ query: sql`SELECT pool, n FROM ${table} WHERE pool = ${hostile}`.text, format: 'JSONEachRow' });
    expect(await rs.json()).toEqual([{ pool: hostile, n: 2 }]);
    const count = await client.query({ query: `SELECT count() AS c FROM ${table.text}`, format: 'JSONEachRow' });
    expect(Number((await count.json<{ c: string }>())[0]?.c)).toBe(2);
  });

  it('lets the analyst read but refuses writes and DDL', async () => {
    const rs = await analyst.query({ query: `SELECT count() AS c FROM ${table.text}`, format: 'JSONEachRow' });
    expect(Number((await rs.json<{ c: string }>())[0]?.c)).toBe(2);
    await expect(
      analyst.insert({ table: `${db}.t`, format: 'JSONEachRow', values: [{ pool: 'z', n: 9, ts: '2026-01-01 00:00:00' }] }),
    ).rejects.toThrow(/readonly/i);
    await expect(analyst.command({ query: `DROP TABLE ${table.text}` })).rejects.toThrow(/readonly/i);
    await expect(analyst.command({ query: `CREATE TABLE ${ident(`${db}.evil`).text} (a UInt8) ENGINE = Memory` })).rejects.toThrow(
      /readonly/i,
    );
  });
});
