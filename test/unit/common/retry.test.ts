import { describe, expect, it } from 'vitest';
import { backoffDelay, retry } from '../../../common/retry.js';
import { SinkWriteError, ValidationError } from '../../../common/errors.js';

const noSleep = (): Promise<void> => Promise.resolve();

describe('retry', () => {
  it('retries retriable errors until success', async () => {
    let calls = 0;
    const delays: number[] = [];
    const r = await retry(
      () => {
        calls++;
        if (calls < 3) return Promise.reject(new SinkWriteError('t', 'down'));
        return Promise.resolve('ok');
      },
      { sleep: noSleep, random: () => 0.5, onRetry: (_e, _a, d) => delays.push(d) },
    );
    expect(r).toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toEqual([75, 150]);
  });

  it('does not retry non-retriable errors', async () => {
    let calls = 0;
    await expect(
      retry(
        () => {
          calls++;
          return Promise.reject(new ValidationError('x', 'bad'));
        },
        { sleep: noSleep },
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(calls).toBe(1);
  });

  it('gives up after the attempt budget with the last error', async () => {
    let calls = 0;
    await expect(
      retry(
        () => {
          calls++;
          return Promise.reject(new SinkWriteError('t', `down ${calls}`));
        },
        { retries: 4, sleep: noSleep },
      ),
    ).rejects.toThrow('down 4');
    expect(calls).toBe(4);
  });

  it('caps backoff at maxDelayMs, with jitter in [cap/2, cap]', () => {
    const o = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2 };
    expect(backoffDelay(1, o, () => 0)).toBe(50);
    expect(backoffDelay(1, o, () => 0.999999)).toBe(100);
    expect(backoffDelay(10, o, () => 0)).toBe(500);
    expect(backoffDelay(10, o, () => 0.999999)).toBe(1000);
  });
});
