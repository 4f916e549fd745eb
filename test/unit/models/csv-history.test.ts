import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../common/errors.js';
import { readHistoryCsv, rowToRecord } from '../../../models/data/csv-history.js';
import { parseSince } from '../../../models/commands.js';

describe('history CSV', () => {
  it('parses required and optional columns, ISO and epoch times', () => {
    const r = rowToRecord({
      build_id: 'b1',
      pool: 'p',
      started_at: '2026-01-01T00:00:00Z',
      duration_ms: '1500',
      status: 'Failed',
      combination: 'base@1; a@2 ;',
      queued_at: '1767225590000',
      f_changed_files: '3',
    });
    expect(r).toMatchObject({
      build_id: 'b1',
      status: 'FAILED',
      combination: ['base@1', 'a@2'],
      started_at: 1767225600000,
      queued_at: 1767225590000,
    });
    expect(r.features).toEqual({ changed_files: 3 });
    expect(r.executor).toBeNull();
  });

  it('reports bad rows with their line numbers and keeps going', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-csv-'));
    const file = join(dir, 'h.csv');
    writeFileSync(
      file,
      'build_id,pool,started_at,duration_ms,status\nb1,p,1000,5,passed\nb2,p,yesterday,5,passed\nb3,p,1000,-1,passed\nb4,p,1000,5,maybe\nb5,p,2000,5,cancelled\n',
    );
    const h = await readHistoryCsv(file);
    expect(h.records.map((r) => r.build_id)).toEqual(['b1', 'b5']);
    expect(h.rejected.map((r) => r.line)).toEqual([3, 4, 5]);
    expect(h.rejected[0]?.reason).toMatch(/started_at/);
    expect(h.rejected[2]?.reason).toMatch(/status/);
  });

  it('rejects a file without the required columns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-csv-'));
    const file = join(dir, 'h.csv');
    writeFileSync(file, 'build_id,pool\nb1,p\n');
    await expect(readHistoryCsv(file)).rejects.toBeInstanceOf(InputError);
    await expect(readHistoryCsv(join(dir, 'missing.csv'))).rejects.toBeInstanceOf(InputError);
  });

  it('parses --since', () => {
    expect(parseSince('2d', 10 * 86_400_000)).toBe(8 * 86_400_000);
    expect(parseSince('1767225600000')).toBe(1767225600000);
    expect(() => parseSince('soon')).toThrow(InputError);
  });
});
