import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError, ValidationError } from '../../../common/errors.js';
import { importBuilds, type BuildEvent, type ImportBuildsOptions } from '../../../ingest/index.js';

async function run(
  csv: string,
  extra: Partial<ImportBuildsOptions> = {},
): Promise<{ events: BuildEvent[]; summary: Awaited<ReturnType<typeof importBuilds>> }> {
  const events: BuildEvent[] = [];
  const summary = await importBuilds({
    input: Readable.from([csv]),
    send: (batch) => {
      events.push(...batch);
      return Promise.resolve();
    },
    ...extra,
  });
  return { events, summary };
}

const HEADER = 'build_id,pool,started_at,duration_ms,status,combination,executor,queued_at,f_cpu_request,f_files';

describe('history import', () => {
  it('converts rows to QUEUED/STARTED/FINISHED events with features', async () => {
    const csv = `${HEADER}\nb1,pool-a,2026-01-05T10:00:00Z,60000,passed,base@1;node@20,x1,2026-01-05T09:59:00Z,2,130\nb2,pool-a,1767607200000,500,FAILED,,,,,\n`;
    const { events, summary } = await run(csv);
    expect(summary).toMatchObject({ rows: 2, imported: 2, rejected: 0, events: 5, errors: [] });
    const [queued, started, finished] = events;
    expect(queued).toMatchObject({ type: 'QUEUED', build_id: 'b1', executor: null, event_time: Date.parse('2026-01-05T09:59:00Z') });
    expect(started).toMatchObject({ type: 'STARTED', executor: 'x1', queue_wait_ms: 60_000, combination: ['base@1', 'node@20'] });
    expect(finished).toMatchObject({ type: 'FINISHED', status: 'PASSED', duration_ms: 60_000, features: { cpu_request: 2, files: 130 } });
    expect(finished?.event_time).toBe(Date.parse('2026-01-05T10:01:00Z'));
    expect(events[4]).toMatchObject({
      type: 'FINISHED',
      build_id: 'b2',
      status: 'FAILED',
      features: {},
      combination: [],
      event_time: 1767607200500,
    });
    expect(new Set(events.map((e) => e.event_id)).size).toBe(5);
  });

  it('reports bad rows by line number and field, skips them and imports the rest', async () => {
    const csv = [
      HEADER,
      'ok1,p,2026-01-05T10:00:00Z,1,passed,,,,,',
      ',p,2026-01-05T10:00:00Z,1,passed,,,,,',
      'b3,p,yesterday,1,passed,,,,,',
      'b4,p,2026-01-05T10:00:00Z,-5,passed,,,,,',
      'b5,p,2026-01-05T10:00:00Z,1,green,,,,,',
      'b6,p,2026-01-05T10:00:00Z,1,passed,base@1;node,,,,',
      'b7,p,2026-01-05T10:00:00Z,1,passed,,,2026-01-05T11:00:00Z,,',
      'b8,p,2026-01-05T10:00:00Z,1,passed,,,,lots,',
      'b9,p,2026-01-05T10:00:00Z',
      '"b10 with, comma",p,2026-01-05T10:00:00Z,1,passed,,,,,',
    ].join('\n');
    const seen: number[] = [];
    const { summary } = await run(csv, { onReject: (e) => seen.push(e.line) });
    expect(summary.imported).toBe(2);
    expect(summary.rejected).toBe(8);
    expect(summary.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'build_id'],
      [4, 'started_at'],
      [5, 'duration_ms'],
      [6, 'status'],
      [7, 'combination[1]'],
      [8, 'queued_at'],
      [9, 'f_cpu_request'],
      [10, 'row'],
    ]);
    expect(seen).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('a missing required column fails before any row', async () => {
    await expect(run('build_id,pool,started_at,status\nb1,p,1,passed\n')).rejects.toThrow(ValidationError);
    await expect(run('build_id,pool,started_at,status\nb1,p,1,passed\n')).rejects.toThrow(/duration_ms/);
  });

  it('malformed CSV and missing files are InputErrors naming the problem', async () => {
    await expect(run(`${HEADER}\n"b1,p,1,1,passed,,,,,\n`)).rejects.toThrow(InputError);
    await expect(importBuilds({ input: '/nonexistent/x.csv', send: () => Promise.resolve() })).rejects.toThrow(/no such file/);
    await expect(run('')).rejects.toThrow(/empty/);
  });

  it('sends in bounded batches and propagates a send failure', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => `b${i},p,${1767607200000 + i},10,passed,,,,,`);
    const sizes: number[] = [];
    const { summary } = await run([HEADER, ...rows].join('\n'), {
      batchRows: 100,
      send: (batch) => {
        sizes.push(batch.length);
        return Promise.resolve();
      },
    });
    expect(summary.imported).toBe(2500);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(200);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5000);
    await expect(
      run([HEADER, ...rows].join('\n'), {
        send: () => Promise.reject(new ValidationError('x', 'refused')),
      }),
    ).rejects.toThrow(/refused/);
  });
});
