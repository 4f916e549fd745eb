import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../common/logger.js';
import { createLiveHub } from '../../../api/dashboard/live-hub.js';
import type { Snapshot } from '../../../api/dashboard/types.js';

const snap = (n: number, range = '30m'): Snapshot => {
  const none = { available: false, message: 'x' };
  return {
    generated_at: n,
    database: 'db',
    range,
    window: '1m',
    fleet: { ...none, data: null },
    pools: { ...none, data: [] },
    alerts: { ...none, data: [] },
    directives: { ...none, data: [] },
    models: { ...none, data: [] },
  };
};

describe('live hub', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shares one refresh loop between subscribers and stops it when the last leaves', async () => {
    let builds = 0;
    const hub = createLiveHub({
      build: (r) => Promise.resolve(snap(++builds, r)),
      refreshMs: 1000,
      logger: silentLogger(),
      now: () => Date.now(),
    });
    const a: number[] = [];
    const b: number[] = [];
    const offA = hub.subscribe('30m', (s) => a.push(s.generated_at));
    const offB = hub.subscribe('30m', (s) => b.push(s.generated_at));
    expect(hub.subscribers()).toBe(2);
    await vi.advanceTimersByTimeAsync(3100);
    expect(builds).toBe(3);
    expect(a).toEqual([1, 2, 3]);
    expect(b).toEqual([1, 2, 3]);
    offA();
    offB();
    expect(hub.subscribers()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(builds).toBe(3);
    hub.close();
  });

  it('serves a fresh cached snapshot and shares a read in flight', async () => {
    let builds = 0;
    const hub = createLiveHub({
      build: () => Promise.resolve(snap(++builds)),
      refreshMs: 2000,
      logger: silentLogger(),
      now: () => Date.now(),
    });
    const [x, y] = await Promise.all([hub.snapshot('30m'), hub.snapshot('30m')]);
    expect(x).toBe(y);
    expect(builds).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    expect((await hub.snapshot('30m')).generated_at).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await hub.snapshot('30m')).generated_at).toBe(2);
    expect((await hub.snapshot('6h')).generated_at).toBe(3);
    hub.close();
  });

  it('keeps refreshing after a failed read', async () => {
    let calls = 0;
    const hub = createLiveHub({
      build: () => (++calls === 1 ? Promise.reject(new Error('ClickHouse down')) : Promise.resolve(snap(calls))),
      refreshMs: 1000,
      logger: silentLogger(),
      now: () => Date.now(),
    });
    const got: number[] = [];
    hub.subscribe('30m', (s) => got.push(s.generated_at));
    await vi.advanceTimersByTimeAsync(2100);
    expect(got).toEqual([2]);
    hub.close();
  });
});
