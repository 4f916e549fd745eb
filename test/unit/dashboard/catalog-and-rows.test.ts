import { describe, expect, it } from 'vitest';
import { catalogFromRows } from '../../../api/dashboard/catalog.js';
import { addRow } from '../../../api/dashboard/queries/pools.js';
import { toAlertView } from '../../../api/dashboard/queries/alerts.js';
import { toModelView } from '../../../api/dashboard/queries/models.js';
import { msExpr, num } from '../../../api/dashboard/queries/columns.js';
import type { PoolView } from '../../../api/dashboard/types.js';

const catalog = catalogFromRows('db', [
  { table: 'pool_features_1m', name: 'pool', type: 'String' },
  { table: 'pool_features_1m', name: 'window_start', type: 'DateTime' },
  { table: 'alerts', name: 'event_time_ms', type: 'UInt64' },
]);

const emptyView = (): PoolView => ({
  pool: 'p',
  series: {},
  totals: { builds_finished: 0, builds_failed: 0, cache_hits: 0, cache_misses: 0 },
});

describe('dashboard catalog', () => {
  it('knows tables, column types and picks the first present candidate', () => {
    expect(catalog.has('pool_features_1m')).toBe(true);
    expect(catalog.has('predictions')).toBe(false);
    expect(catalog.type('pool_features_1m', 'window_start')).toBe('DateTime');
    expect(catalog.type('pool_features_1m', 'nope')).toBeUndefined();
    expect(catalog.pick('alerts', ['event_time', 'event_time_ms'])).toBe('event_time_ms');
    expect(catalog.pick('alerts', ['x'])).toBeUndefined();
  });

  it('converts DateTime and integer-ms time columns to ms', () => {
    expect(msExpr(catalog, 'pool_features_1m', 'window_start').text).toBe('toUInt64(toUnixTimestamp(`window_start`)) * 1000');
    expect(msExpr(catalog, 'alerts', 'event_time_ms').text).toBe('toUInt64(`event_time_ms`)');
  });

  it('reads 64-bit integers sent as strings and rejects non-numbers', () => {
    expect(num('42')).toBe(42);
    expect(num(null)).toBeNull();
    expect(num('nan')).toBeNull();
    expect(num('')).toBeNull();
  });
});

describe('pool rows to series', () => {
  it('uses the stored ratios when the table has them', () => {
    const view = emptyView();
    const has = new Set(['builds_finished', 'builds_failed', 'failure_rate', 'cache_hits', 'cache_misses', 'cache_hit_ratio']);
    addRow(
      view,
      1000,
      { builds_finished: '10', builds_failed: '2', failure_rate: 0.25, cache_hits: '3', cache_misses: '1', cache_hit_ratio: 0.75 },
      has,
    );
    expect(view.series.failure_rate).toEqual([{ t: 1000, v: 0.25 }]);
    expect(view.series.cache_hit_ratio).toEqual([{ t: 1000, v: 0.75 }]);
    expect(view.series.throughput).toEqual([{ t: 1000, v: 10 }]);
    expect(view.totals).toEqual({ builds_finished: 10, builds_failed: 2, cache_hits: 3, cache_misses: 1 });
  });

  it('derives ratios from counts otherwise, with null for empty windows', () => {
    const view = emptyView();
    const has = new Set(['builds_finished', 'builds_failed', 'cache_hits', 'cache_misses', 'duration_p50_ms']);
    addRow(view, 1, { builds_finished: 4, builds_failed: 1, cache_hits: 0, cache_misses: 0, duration_p50_ms: 900 }, has);
    addRow(view, 2, { builds_finished: 0, builds_failed: 0, cache_hits: 1, cache_misses: 3, duration_p50_ms: null }, has);
    expect(view.series.failure_rate).toEqual([
      { t: 1, v: 0.25 },
      { t: 2, v: null },
    ]);
    expect(view.series.cache_hit_ratio).toEqual([
      { t: 1, v: null },
      { t: 2, v: 0.25 },
    ]);
    expect(view.series.duration_p50_ms).toEqual([
      { t: 1, v: 900 },
      { t: 2, v: null },
    ]);
    expect(view.series.slots_running).toBeUndefined();
  });
});

describe('alert and model rows', () => {
  it('zips evidence arrays and reads ms columns', () => {
    const a = toAlertView({
      alert_id: 'a1',
      entity: 'pool-1',
      state: 'FIRING',
      score: 7.5,
      started_at_ms: '1700000000000',
      event_time_ms: '1700000060000',
      evidence_keys: ['baseline', 'window'],
      evidence_values: ['120', '5m'],
    });
    expect(a.evidence).toEqual({ baseline: '120', window: '5m' });
    expect(a.started_at).toBe(1_700_000_000_000);
    expect(a.event_time).toBe(1_700_000_060_000);
  });

  it('reads JSON evidence and keeps unreadable evidence visible', () => {
    expect(toAlertView({ evidence: '{"x":1}' }).evidence).toEqual({ x: '1' });
    expect(toAlertView({ evidence: '{broken' }).evidence.evidence).toBe('{broken');
  });

  it('collects float metric columns and JSON metrics of a model version', () => {
    const m = toModelView(
      {
        version: 'v3',
        status: 'champion',
        created_at_ms: '1700000000000',
        duration_mae_ms: 812.5,
        failure_f1: 0.61,
        metrics_json: '{"rows": 5000}',
      },
      'created_at_ms',
    );
    expect(m.version).toBe('v3');
    expect(m.status).toBe('champion');
    expect(m.created_at).toBe(1_700_000_000_000);
    expect(m.metrics).toEqual({ duration_mae_ms: 812.5, failure_f1: 0.61, rows: 5000 });
  });
});
