import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeValue, ident, sql } from '../../../sinks/index.js';
import { ValidationError } from '../../../common/errors.js';

describe('escapeValue', () => {
  it.each([
    ["' OR 1=1 --", "'\\' OR 1=1 --'"],
    ["\\'; DROP TABLE x; --", "'\\\\\\'; DROP TABLE x; --'"],
    ['line\nbreak\ttab\r', "'line\\nbreak\\ttab\\r'"],
    ['nul\0byte', "'nul\\0byte'"],
    ['ünïcødé ✓', "'ünïcødé ✓'"],
  ])('quotes %j safely', (input, expected) => {
    expect(escapeValue(input)).toBe(expected);
  });

  it('renders numbers, booleans, null, arrays and dates', () => {
    expect(escapeValue(42)).toBe('42');
    expect(escapeValue(-1.5)).toBe('-1.5');
    expect(escapeValue(true)).toBe('1');
    expect(escapeValue(null)).toBe('NULL');
    expect(escapeValue(['a', "b'c"])).toBe("['a', 'b\\'c']");
    expect(escapeValue(new Date(1_700_000_000_500))).toBe('toDateTime(1700000000)');
    expect(() => escapeValue(Number.NaN)).toThrow(ValidationError);
  });

  it('never lets an unescaped quote through (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = escapeValue(s);
        const inner = out.slice(1, -1);
        // Every quote inside is preceded by an odd number of backslashes.
        for (let i = 0; i < inner.length; i++) {
          if (inner[i] !== "'") continue;
          let bs = 0;
          for (let j = i - 1; j >= 0 && inner[j] === '\\'; j--) bs++;
          expect(bs % 2).toBe(1);
        }
        expect(out.startsWith("'") && out.endsWith("'")).toBe(true);
      }),
    );
  });
});

describe('sql and ident', () => {
  it('binds values and inlines identifiers', () => {
    const q = sql`SELECT * FROM ${ident('factory.build_events')} WHERE pool = ${"x' OR '1"} AND n > ${3}`;
    expect(q.text).toBe("SELECT * FROM `factory`.`build_events` WHERE pool = 'x\\' OR \\'1' AND n > 3");
  });

  it('rejects identifiers that are not plain names', () => {
    for (const bad of ['a b', 'x`; DROP', '1abc', 'a.b.c', '']) expect(() => ident(bad)).toThrow(ValidationError);
  });
});
