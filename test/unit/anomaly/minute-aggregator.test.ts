import { describe, expect, it } from 'vitest';
import { createMinuteAggregator, type Observation } from '../../../processors/anomaly/stream/minute-aggregator.js';

const M = 60_000;
const T = Date.UTC(2026, 0, 5, 10);
const cpu = (entity: string, value: number): Observation => ({ entityType: 'executor', entity, metric: 'cpu', value });

describe('minute aggregator (event time, watermark)', () => {
  it('closes a minute only when the watermark passes its end, summing per entity and metric', () => {
    const agg = createMinuteAggregator({ allowedLatenessMs: 10_000 });
    agg.add(T + 1000, [cpu('e1', 0.5)]);
    agg.add(T + 2000, [cpu('e1', 0.7), cpu('e2', 0.1)]);
    agg.add(T + M + 5000, [cpu('e1', 0.9)]);
    expect(agg.advance()).toEqual([]); // watermark = T + 55 s
    agg.add(T + M + 15_000, [cpu('e2', 0.2)]); // watermark = T + 65 s
    const closed = agg.advance();
    expect(closed.map((s) => [s.minute, s.entity])).toEqual([
      [T, 'e1'],
      [T, 'e2'],
    ]);
    expect(closed[0]?.stats.get('cpu')).toEqual({ sum: 1.2, count: 2, max: 0.7 });
  });

  it('emits empty minutes for known entities (a silent pool is information)', () => {
    const agg = createMinuteAggregator({ allowedLatenessMs: 0 });
    agg.add(T, [cpu('e1', 1)]);
    agg.add(T + 3 * M, [cpu('e2', 1)]);
    const closed = agg.advance();
    expect(closed.map((s) => [(s.minute - T) / M, s.entity, s.stats.size])).toEqual([
      [0, 'e1', 1],
      [1, 'e1', 0],
      [2, 'e1', 0],
    ]);
  });

  it('walks a silent stretch only until every entity expired, then skips to the next minute with events', () => {
    // A replay whose event times jump by ~10 months (old simulator history, then today's events): walking
    // that minute by minute for every known entity ran the processor out of memory.
    const agg = createMinuteAggregator({ allowedLatenessMs: 0, expireAfterMinutes: 3 });
    const later = T + 300 * 24 * 60 * M;
    agg.add(T, [cpu('e1', 1)]);
    agg.add(later, [cpu('e1', 1), cpu('e2', 1)]); // e1 lives on both sides of the gap
    agg.add(later + 2 * M, [cpu('e2', 2)]);
    const closed = agg.advance();
    const L = (later - T) / M;
    expect(closed.map((s) => [(s.minute - T) / M, s.entity, s.stats.size])).toEqual([
      [0, 'e1', 1],
      [1, 'e1', 0],
      [2, 'e1', 0],
      [3, 'e1', 0],
      [L, 'e1', 1],
      [L, 'e2', 1],
      [L + 1, 'e1', 0],
      [L + 1, 'e2', 0],
    ]);
    expect(agg.closedThrough).toBe(later + 2 * M);
  });

  it('still emits silent minutes of a short gap (shorter than the expiry)', () => {
    const agg = createMinuteAggregator({ allowedLatenessMs: 0, expireAfterMinutes: 3 });
    agg.add(T, [cpu('e1', 1)]);
    agg.add(T + 3 * M, [cpu('e1', 1)]);
    agg.add(T + 4 * M, [cpu('e1', 1)]);
    expect(agg.advance().map((s) => [(s.minute - T) / M, s.stats.size])).toEqual([
      [0, 1],
      [1, 0],
      [2, 0],
      [3, 1],
    ]);
  });

  it('counts events for an already closed minute as late and does not fold them in', () => {
    const agg = createMinuteAggregator({ allowedLatenessMs: 0 });
    agg.add(T, [cpu('e1', 1)]);
    agg.add(T + 2 * M, [cpu('e1', 1)]);
    agg.advance();
    expect(agg.add(T + 30_000, [cpu('e1', 5)])).toBe(false);
    expect(agg.add(T + 2 * M + 1, [cpu('e1', 5)])).toBe(true);
  });

  it('accepts out-of-order events within the allowed lateness', () => {
    const agg = createMinuteAggregator({ allowedLatenessMs: 30_000 });
    agg.add(T + M + 10_000, [cpu('e1', 1)]);
    expect(agg.add(T + 50_000, [cpu('e1', 2)])).toBe(true);
    agg.add(T + 2 * M + 40_000, [cpu('e1', 1)]);
    const closed = agg.advance();
    expect(closed.map((s) => [(s.minute - T) / M, s.stats.get('cpu')?.sum])).toEqual([
      [0, 2],
      [1, 1],
    ]);
  });

  it('holds the watermark at the slowest source (partition) until it goes idle', () => {
    let now = 0;
    const agg = createMinuteAggregator({ allowedLatenessMs: 0, idleSourceMs: 5000, clock: () => now });
    agg.add(T + 10 * M, [cpu('e1', 1)], 'resource/0'); // read ahead
    agg.add(T + 5000, [cpu('e2', 1)], 'build/0');
    expect(agg.watermark).toBe(T + 5000);
    expect(agg.add(T + 2 * M, [cpu('e2', 2)], 'build/0')).toBe(true);
    expect(agg.advance().map((s) => (s.minute - T) / M)).toEqual([0, 1]);
    now = 6000; // build/0 silent for 6 s: the watermark follows the other partition
    expect(agg.watermark).toBe(T + 10 * M);
  });
});
