import { describe, expect, it } from 'vitest';
import { chunkBySize, type DeadLetter } from '../../../sinks/index.js';

const letter = (bytes: number): DeadLetter => ({
  key: Buffer.from('k'),
  value: Buffer.alloc(bytes),
  sourceTopic: 't',
  sourcePartition: 0,
  sourceOffset: '1',
  code: 'PULSE_ERR_DECODE',
  reason: 'bad_magic',
  message: 'm',
});

describe('dead-letter chunking', () => {
  it('keeps every letter, in order, in chunks under the byte budget', () => {
    const letters = Array.from({ length: 500 }, (_, i) => letter(1000 + i));
    const chunks = chunkBySize(letters, 64 * 1024);
    expect(chunks.flat()).toEqual(letters);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.reduce((s, l) => s + (l.value?.length ?? 0) + 1 + 512, 0)).toBeLessThanOrEqual(64 * 1024);
  });

  it('sends a single oversized letter alone', () => {
    const chunks = chunkBySize([letter(10), letter(100_000), letter(10)], 1024);
    expect(chunks.map((c) => c.length)).toEqual([1, 1, 1]);
  });
});
