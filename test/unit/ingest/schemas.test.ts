import { describe, expect, it } from 'vitest';
import { DecodeError, ValidationError } from '../../../common/errors.js';
import { createSchemaSet, FAMILIES, type Family } from '../../../ingest/index.js';

const schemas = createSchemaSet();

describe('schema set: every family round-trips random values', () => {
  it.each(FAMILIES.map((f) => [f]))('%s', (family: Family) => {
    const type = schemas.type(family);
    for (let i = 0; i < 50; i++) {
      const value = type.random() as never;
      const bytes = schemas.encode(family, value);
      expect(bytes.subarray(0, 2).toString('hex')).toBe('c301');
      expect(bytes.subarray(2, 10).equals(schemas.fingerprint(family))).toBe(true);
      const decoded = schemas.decode(bytes);
      expect(decoded.family).toBe(family);
      expect(type.toBuffer(decoded.value).equals(type.toBuffer(value))).toBe(true);
      expect(schemas.decodeAs(family, bytes)).toEqual(decoded.value);
    }
  });

  it('fingerprints differ between families', () => {
    const hex = new Set(FAMILIES.map((f) => schemas.fingerprint(f).toString('hex')));
    expect(hex.size).toBe(FAMILIES.length);
  });
});

describe('schema set: typed decode errors', () => {
  const good = schemas.encode('alert', schemas.type('alert').random() as never);
  const reason = (fn: () => unknown): unknown => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(DecodeError);
      return (err as DecodeError).details.reason;
    }
    throw new Error('expected a DecodeError');
  };

  it('unknown fingerprint', () => {
    const bad = Buffer.from(good);
    bad.writeUInt32LE(bad.readUInt32LE(2) ^ 0xffffffff, 2);
    expect(reason(() => schemas.decode(bad))).toBe('unknown_fingerprint');
  });
  it('bad magic, truncated header, corrupt payload, wrong family', () => {
    const noMagic = Buffer.from(good);
    noMagic[0] = 0;
    expect(reason(() => schemas.decode(noMagic))).toBe('bad_magic');
    expect(reason(() => schemas.decode(good.subarray(0, 6)))).toBe('truncated');
    expect(reason(() => schemas.decode(good.subarray(0, 12)))).toBe('bad_payload');
    expect(reason(() => schemas.decodeAs('build', good))).toBe('wrong_family');
  });
  it('encode validates and names the field path', () => {
    const v = schemas.type('sbom').random() as unknown as { components: unknown[] };
    v.components = [{ name: 'x', purl: 42, version: '1', licence: null }];
    expect(() => schemas.encode('sbom', v as never)).toThrow(ValidationError);
    try {
      schemas.encode('sbom', v as never);
    } catch (err) {
      expect((err as ValidationError).fieldPath).toBe('components.0.purl');
    }
  });
});
