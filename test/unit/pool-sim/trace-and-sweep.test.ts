import { describe, expect, it } from 'vitest';
import { InputError, ValidationError } from '../../../common/errors.js';
import { createCachePolicy } from '../../../api/directives/policies/index.js';
import { createLayerCache } from '../../../api/pool-sim/layer-cache.js';
import { paretoFront, type SweepPoint } from '../../../api/pool-sim/sweep.js';
import { formatTraceCsv, parseTraceCsv } from '../../../api/pool-sim/trace-csv.js';
import { parseTimeRange } from '../../../api/pool-sim/trace-clickhouse.js';
import { generateFleetTrace } from '../../../api/pool-sim/trace-fleet.js';
import { seriesCsv } from '../../../api/pool-sim/outputs.js';
import { frontierSvg } from '../../../api/pool-sim/svg.js';

const CSV = `arrival_ms,pool,job_id,combination,fixed_ms,layer_ms
2000,p1,b,base@1;python@3.11,100,10;20
1000,p1,a,base@1,50,5
`;

describe('trace CSV', () => {
  it('parses, sorts by arrival and keys layers by combination prefix', () => {
    const t = parseTraceCsv(CSV, 't.csv');
    expect(t.jobs.map((j) => j.id)).toEqual(['a', 'b']);
    expect(t.jobs[1]?.layers).toEqual([
      { key: 'base@1', coldMs: 10 },
      { key: 'base@1/python@3.11', coldMs: 20 },
    ]);
    expect(parseTraceCsv(formatTraceCsv(t), 'again.csv').jobs).toEqual(t.jobs);
  });

  it('accepts duration_ms instead of layer times', () => {
    const t = parseTraceCsv('arrival_ms,pool,combination,duration_ms\n5,p,base@1;zlib@1.3.1,1000\n', 'd.csv', 0.2);
    const j = t.jobs[0];
    expect(j?.fixedMs).toBe(200);
    expect((j?.layers ?? []).reduce((s, l) => s + l.coldMs, 0)).toBeCloseTo(800, -1);
  });

  it('names the line and field of bad input', () => {
    expect(() => parseTraceCsv('arrival_ms,pool,combination,layer_ms\nx,p,base@1,5\n', 'bad.csv')).toThrow(/bad.csv:line 2.arrival_ms/);
    expect(() => parseTraceCsv('arrival_ms,pool,combination,layer_ms\n1,p,base@1,5;6\n', 'bad.csv')).toThrow(ValidationError);
    expect(() => parseTraceCsv('pool,combination\np,base@1\n', 'bad.csv')).toThrow(InputError);
    expect(() => parseTraceCsv('', 'empty.csv')).toThrow(InputError);
  });
});

describe('time ranges', () => {
  it('parses look-backs and FROM..TO', () => {
    expect(parseTimeRange('2h', 10_000_000)).toEqual({ fromMs: 10_000_000 - 7_200_000, toMs: 10_000_000 });
    expect(parseTimeRange('2024-01-01T00:00:00Z..2024-01-02T00:00:00Z', 0)).toEqual({
      fromMs: Date.UTC(2024, 0, 1),
      toMs: Date.UTC(2024, 0, 2),
    });
    expect(() => parseTimeRange('yesterday', 0)).toThrow(InputError);
    expect(() => parseTimeRange('5..3', 0)).toThrow(InputError);
  });
});

describe('fleet trace generator', () => {
  it('is deterministic, diurnal and bursty', () => {
    const a = generateFleetTrace({ days: 2, pools: 1 });
    expect(generateFleetTrace({ days: 2, pools: 1 })).toEqual(a);
    const hour = (h: number) => a.jobs.filter((j) => Math.floor(j.arrivalMs / 3_600_000) % 24 === h).length;
    expect(hour(10)).toBeGreaterThan(3 * hour(3));
    expect(a.jobs.some((j) => j.id.includes('burst'))).toBe(true);
  });
});

describe('layer cache', () => {
  it('reuses only a cached prefix and evicts with the policy', () => {
    const c = createLayerCache({ capacity: 2, policy: createCachePolicy('lru') });
    c.insert('a', 1, new Set());
    c.insert('a/b', 2, new Set());
    expect(c.warmPrefix(['a', 'a/b', 'a/b/c'])).toBe(2);
    c.touch('a', 3);
    c.insert('x', 4, new Set());
    expect(c.has('a/b')).toBe(false);
    expect(c.warmPrefix(['a', 'a/b'])).toBe(1);
    expect(c.insert('y', 5, new Set(), () => false)).toBe(false);
    expect(c.evictions).toBe(1);
  });
});

describe('sweep outputs', () => {
  const p = (label: string, cost: number, p95: number): SweepPoint => ({
    label,
    scaling: label.split(' ')[0] ?? '',
    options: {},
    cost,
    executorHours: cost,
    p50WaitMs: 0,
    p95WaitMs: p95,
    p99WaitMs: p95,
    utilisation: 0.5,
    cacheHitRatio: 0.5,
  });
  it('keeps exactly the non-dominated points, by cost', () => {
    const pts = [p('a', 10, 100), p('b', 20, 50), p('c', 25, 60), p('d', 30, 10), p('e', 10, 120)];
    expect(paretoFront(pts).map((x) => x.label)).toEqual(['a', 'b', 'd']);
    expect(frontierSvg(pts, paretoFront(pts), 'x')).toContain('<svg');
  });
  it('writes series CSV with a header', () => {
    const csv = seriesCsv([{ t: 0, arrivals: 1, started: 1, slots: 2, running: 1, queued: 0, waitP95Ms: 5, hitRatio: 0.5 }]);
    expect(csv.split('\n')[0]).toContain('wait_p95_ms');
    expect(csv.split('\n')[1]).toMatch(/^0,1970-01-01T00:00:00.000Z,1,1,2.000/);
  });
});
