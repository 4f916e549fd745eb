// Job spec validation (the `pulse submit` flags) and the build-context tar.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../common/errors.js';
import { validateJobSpec } from '../../../ingest/agent/submit.js';
import { packTar } from '../../../ingest/agent/tar.js';
import { imageTag } from '../../../ingest/agent/hygiene.js';

describe('validateJobSpec', () => {
  it('returns the combination in canonical order', () => {
    expect(validateJobSpec({ pool: 'p-1', combination: 'node@20;base@1;glibc@2.36' })).toEqual(['base@1', 'glibc@2.36', 'node@20']);
    expect(validateJobSpec({ pool: 'p', combination: ['zlib@1.3.1', 'base@2'] })).toEqual(['base@2', 'zlib@1.3.1']);
  });

  it.each([
    [{ pool: 'bad pool', combination: 'base@1' }, /^pool:/],
    [{ pool: 'p', combination: 'base@1;cobol@85' }, /^combination\[1\]: "cobol@85" is not in the module catalogue/],
    [{ pool: 'p', combination: 'node@20' }, /^combination: must include a base/],
    [{ pool: 'p', combination: 'base@1;grpc@1.58.0' }, /^combination\[1\]: grpc@1.58.0 requires protobuf/],
    [{ pool: 'p', combination: 'base@1;base@2' }, /appears twice/],
    [{ pool: 'p', combination: 'base@1', count: 0 }, /^count:/],
  ])('rejects %o', (spec, message) => {
    expect(() => validateJobSpec(spec)).toThrow(ValidationError);
    expect(() => validateJobSpec(spec)).toThrow(message);
  });
});

describe('build context tar', () => {
  it('writes ustar headers with a valid checksum, the content padded to 512 bytes, and two zero blocks', () => {
    const tar = packTar([{ name: 'Dockerfile', content: 'FROM x\n' }]);
    expect(tar.length).toBe(512 + 512 + 1024);
    expect(tar.subarray(0, 10).toString()).toBe('Dockerfile');
    expect(tar.subarray(257, 262).toString()).toBe('ustar');
    expect(parseInt(tar.subarray(124, 135).toString(), 8)).toBe(7);
    const header = Buffer.from(tar.subarray(0, 512));
    const stored = parseInt(header.subarray(148, 154).toString(), 8);
    header.fill(' ', 148, 156);
    expect(header.reduce((a, b) => a + b, 0)).toBe(stored);
    expect(tar.subarray(512, 519).toString()).toBe('FROM x\n');
    expect(tar.subarray(1024).every((b) => b === 0)).toBe(true);
    expect(() => packTar([{ name: 'x'.repeat(101), content: '' }])).toThrow(RangeError);
  });

  it('tags images per pool and combination with valid, stable names', () => {
    const t = imageTag('Pool A/1', ['base@1', 'node@20']);
    expect(t).toMatch(/^pulse-agent\/pool-a-1-[0-9a-f]{8}:[0-9a-f]{16}$/);
    expect(imageTag('Pool A/1', ['base@1', 'node@20'])).toBe(t);
    expect(imageTag('pool-a-1', ['base@1', 'node@20'])).not.toBe(t);
  });
});
