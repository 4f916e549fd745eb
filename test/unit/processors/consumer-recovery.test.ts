import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../common/logger.js';
import { superviseConsumer, withHeartbeats, type SupervisedConsumer } from '../../../processors/runtime/consumer-recovery.js';

function fakeConsumer(failRestarts = 0): SupervisedConsumer & { crash(restart: boolean): void; restarts: number } {
  let listener: ((c: { error: Error; restart: boolean }) => void) | undefined;
  let failures = failRestarts;
  const c = {
    restarts: 0,
    onCrash(l: (c: { error: Error; restart: boolean }) => void) {
      listener = l;
    },
    async restart() {
      await Promise.resolve();
      c.restarts++;
      if (failures-- > 0) throw new Error('broker unavailable');
    },
    crash(restart: boolean) {
      listener?.({ error: new Error('The coordinator is not aware of this member'), restart });
    },
  };
  return c;
}

describe('consumer recovery', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends heartbeats while a long flush runs', async () => {
    let beats = 0;
    const work = new Promise<string>((resolve) => setTimeout(() => resolve('flushed'), 1000));
    const done = withHeartbeats(
      async () => {
        beats++;
        await Promise.resolve();
      },
      100,
      () => work,
    );
    await vi.advanceTimersByTimeAsync(1000);
    await expect(done).resolves.toBe('flushed');
    expect(beats).toBeGreaterThanOrEqual(8);
    const after = beats;
    await vi.advanceTimersByTimeAsync(1000);
    expect(beats).toBe(after);
  });

  it('rethrows a heartbeat failure after the work finished (so the consumer re-joins)', async () => {
    let finished = false;
    const done = withHeartbeats(
      () => Promise.reject(new Error('The coordinator is not aware of this member')),
      100,
      () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            finished = true;
            resolve();
          }, 500),
        ),
    );
    const settled = expect(done).rejects.toThrow(/not aware of this member/);
    await vi.advanceTimersByTimeAsync(500);
    await settled;
    expect(finished).toBe(true);
  });

  it('restarts a consumer that crashed without restart, retrying failed restarts', async () => {
    const consumer = fakeConsumer(2);
    superviseConsumer({ consumer, logger: silentLogger(), isStopping: () => false, initialDelayMs: 100 });
    consumer.crash(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(consumer.restarts).toBe(3);
  });

  it('keeps retrying a first start that failed (broker unreachable) instead of giving up', async () => {
    const consumer = fakeConsumer(3);
    const supervisor = superviseConsumer({ consumer, logger: silentLogger(), isStopping: () => false, initialDelayMs: 100 });
    await supervisor.start();
    expect(consumer.restarts).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(consumer.restarts).toBe(4);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(consumer.restarts).toBe(4);
  });

  it('leaves restarts to kafkajs when it restarts by itself, and never restarts while stopping', async () => {
    const consumer = fakeConsumer();
    let stopping = false;
    const supervisor = superviseConsumer({ consumer, logger: silentLogger(), isStopping: () => stopping, initialDelayMs: 100 });
    consumer.crash(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(consumer.restarts).toBe(0);
    consumer.crash(false);
    supervisor.cancel();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(consumer.restarts).toBe(0);
    stopping = true;
    consumer.crash(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(consumer.restarts).toBe(0);
  });
});
