// Slots: FIFO jobs, idle-only warm work, scaling without killing running builds (draining).
import { describe, expect, it } from 'vitest';
import { createSlots } from '../../../ingest/agent/slots.js';
import { createOffsetTracker } from '../../../ingest/agent/offset-tracker.js';

describe('slots', () => {
  it('grants up to capacity, then queues jobs in order', async () => {
    const s = createSlots(2);
    const a = await s.acquire();
    await s.acquire();
    const order: string[] = [];
    const c = s.acquire().then((r) => (order.push('c'), r));
    const d = s.acquire().then((r) => (order.push('d'), r));
    expect(s.running).toBe(2);
    expect(s.waiting).toBe(2);
    a();
    a(); // releasing twice frees one slot only
    await c;
    expect(order).toEqual(['c']);
    expect(s.running).toBe(2);
    expect(s.waiting).toBe(1);
    s.setCapacity(3);
    await d;
    expect(order).toEqual(['c', 'd']);
    expect(s.running).toBe(3);
  });

  it('gives warm work a slot only when one is idle and no job waits', async () => {
    const s = createSlots(1);
    const warm = s.tryAcquireIdle();
    expect(warm).not.toBeNull();
    expect(s.tryAcquireIdle()).toBeNull();
    const job = s.acquire();
    warm?.();
    const release = await job;
    expect(s.tryAcquireIdle()).toBeNull();
    release();
    expect(s.tryAcquireIdle()).not.toBeNull();
  });

  it('drains when scaled down: running builds keep their slots, no new one starts until under capacity', async () => {
    const s = createSlots(3);
    const r = [await s.acquire(), await s.acquire(), await s.acquire()];
    s.setCapacity(1);
    expect(s.running).toBe(3);
    let started = false;
    const next = s.acquire().then((x) => ((started = true), x));
    r[0]?.();
    r[1]?.();
    await Promise.resolve();
    expect(started).toBe(false);
    r[2]?.();
    await next;
    expect(started).toBe(true);
    expect(s.running).toBe(1);
  });

  it('rejects a waiting acquire when its signal aborts and notifies listeners', async () => {
    const s = createSlots(0);
    let changes = 0;
    s.onChange(() => (changes += 1));
    const ac = new AbortController();
    const p = s.acquire(ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(s.waiting).toBe(0);
    expect(changes).toBeGreaterThanOrEqual(2);
    expect(() => s.setCapacity(-1)).toThrow(RangeError);
  });
});

describe('offset tracker', () => {
  it('commits only past a contiguous prefix of finished messages', () => {
    const t = createOffsetTracker();
    for (const o of ['10', '11', '12', '13']) t.take(o);
    expect(t.finish('12')).toBeNull();
    expect(t.finish('10')).toBe('11');
    expect(t.finish('11')).toBe('13');
    expect(t.pending).toBe(1);
    expect(t.finish('13')).toBe('14');
    expect(() => t.take('13')).toThrow(RangeError);
  });
});
