import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../common/logger.js';
import type { CommitOffset, FlushJob } from '../../../processors/features/processor.js';
import { createFlushWriter } from '../../../processors/runtime/flush-writer.js';

const job = (offset: number): FlushJob => ({
  events: 1,
  letters: [],
  raw: new Map(),
  partials: [],
  combos: [],
  touched: [],
  checkpoints: [],
  offsets: [{ topic: 't', partition: 0, offset: String(offset) }],
});

function harness(failures: number) {
  const log: string[] = [];
  let failing = failures;
  let stopping = false;
  const writer = createFlushWriter({
    async write(j) {
      await Promise.resolve();
      const o = j.offsets[0]?.offset ?? '?';
      if (failing-- > 0) {
        log.push(`fail ${o}`);
        throw new Error('ClickHouse unavailable');
      }
      log.push(`write ${o}`);
      return j.offsets;
    },
    async commit(offsets: CommitOffset[]) {
      await Promise.resolve();
      log.push(`commit ${offsets.map((x) => x.offset).join(',')}`);
    },
    onFailure: (_err, n) => log.push(`paused after ${n}`),
    onRecovered: () => log.push('resumed'),
    isStopping: () => stopping,
    logger: silentLogger(),
    initialDelayMs: 100,
  });
  return { writer, log, stop: () => (stopping = true) };
}

describe('background flush writer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries the same job until it is written, and commits only then', async () => {
    const { writer, log } = harness(2);
    writer.start(job(10));
    expect(writer.busy()).toBe(true);
    expect(() => writer.start(job(20))).toThrow(/still being written/);
    await vi.advanceTimersByTimeAsync(10_000);
    await writer.idle();
    expect(writer.busy()).toBe(false);
    expect(log).toEqual(['fail 10', 'paused after 1', 'fail 10', 'paused after 2', 'write 10', 'resumed', 'commit 10']);
    writer.start(job(20));
    await writer.idle();
    expect(log.slice(-2)).toEqual(['write 20', 'commit 20']);
  });

  it('neither retries nor commits an abandoned job (rebalance), and gives up a failing one when stopping', async () => {
    const a = harness(1);
    a.writer.start(job(10));
    await vi.advanceTimersByTimeAsync(0);
    a.writer.abandon();
    expect(a.writer.busy()).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(a.log).toEqual(['fail 10', 'paused after 1']);

    const b = harness(5);
    b.stop();
    b.writer.start(job(30));
    await b.writer.idle();
    expect(b.log).toEqual(['fail 30', 'paused after 1']);
  });
});
