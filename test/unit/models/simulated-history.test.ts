import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../common/errors.js';
import { HISTORY_CSV_HEADER, writeSimulatedHistory } from '../../../ingest/simulator/index.js';
import { readHistoryCsv } from '../../../models/data/csv-history.js';
import { latestFinished } from '../../../models/data/load-history.js';

const dir = mkdtempSync(join(tmpdir(), 'sim-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = { builds: 1500, pools: 4, executorsPerPool: 3, seed: 5, startMs: Date.parse('2026-01-05T06:00:00Z') };

describe('fleet simulator history export', () => {
  it('writes the requested builds in the import format, readable by the models part', async () => {
    const file = join(dir, 'a.csv');
    const report = await writeSimulatedHistory(file, options);
    expect(report.builds).toBe(1500);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe(HISTORY_CSV_HEADER);
    const csv = await readHistoryCsv(file);
    expect(csv.rejectedCount).toBe(0);
    expect(csv.records).toHaveLength(1500);
    const failed = csv.records.filter((r) => r.status === 'FAILED' || r.status === 'ERRORED').length;
    expect(failed).toBe(report.failed);
    expect(new Set(csv.records.map((r) => r.pool)).size).toBe(4);
    for (const r of csv.records) {
      expect(r.executor).toMatch(new RegExp(`^${r.pool}-exec-\\d+$`));
      expect(r.combination.length).toBeGreaterThan(0);
      expect(r.queued_at).not.toBeNull();
      expect(r.queued_at as number).toBeLessThanOrEqual(r.started_at);
      expect(r.started_at).toBeGreaterThanOrEqual(options.startMs);
    }
  });

  it('is deterministic for a seed and differs between seeds', async () => {
    const a = join(dir, 'a2.csv');
    const b = join(dir, 'b.csv');
    const c = join(dir, 'c.csv');
    await writeSimulatedHistory(a, options);
    await writeSimulatedHistory(b, options);
    await writeSimulatedHistory(c, { ...options, seed: 6 });
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(readFileSync(a, 'utf8')).not.toBe(readFileSync(c, 'utf8'));
  });

  it('rejects an unwritable output with an InputError naming the file', async () => {
    const file = join(dir, 'missing-dir', 'x.csv');
    await expect(writeSimulatedHistory(file, options)).rejects.toBeInstanceOf(InputError);
    await expect(writeSimulatedHistory(file, options)).rejects.toThrow(/missing-dir/);
  });

  it('latestFinished keeps the latest builds by finish time, sorted by start', async () => {
    const csv = await readHistoryCsv(join(dir, 'a.csv'));
    const kept = latestFinished(csv.records, undefined, 100);
    expect(kept).toHaveLength(100);
    const finishes = csv.records.map((r) => r.started_at + r.duration_ms).sort((x, y) => x - y);
    const cut = finishes[finishes.length - 100] as number;
    expect(kept.every((r) => r.started_at + r.duration_ms >= cut)).toBe(true);
    for (let i = 1; i < kept.length; i++)
      expect((kept[i] as { started_at: number }).started_at).toBeGreaterThanOrEqual((kept[i - 1] as { started_at: number }).started_at);
    expect(latestFinished(csv.records, cut, 10_000).length).toBeGreaterThanOrEqual(100);
  });
});
