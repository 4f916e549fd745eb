import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../common/errors.js';
import {
  CATALOGUE,
  canonicalCombination,
  catalogueItems,
  combinationFailure,
  combinationLayers,
  createRng,
  findModule,
  formatCombination,
  layerKeys,
  parseCombination,
  sampleCombination,
  sbomComponents,
} from '../../../ingest/index.js';

const fieldOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).fieldPath;
  }
  throw new Error('expected a ValidationError');
};

describe('parseCombination / formatCombination', () => {
  it('parses and formats round trip, trimming spaces', () => {
    expect(parseCombination(' base@1 ; node@20;numpy@1.26.4 ')).toEqual(['base@1', 'node@20', 'numpy@1.26.4']);
    expect(formatCombination(parseCombination('base@1;node@20'))).toBe('base@1;node@20');
  });
  it.each([
    ['', 'combination'],
    ['base@1;node', 'combination[1]'],
    ['base@1;@2', 'combination[1]'],
    ['base@1;node@20;node@22', 'combination[2]'],
    ['Base@1', 'combination[0]'],
    ['base@1;;node@20', 'combination[1]'],
  ])('rejects %j naming %s', (text, field) => {
    expect(fieldOf(() => parseCombination(text))).toBe(field);
  });
  it('with known: rejects items outside the catalogue; custom field name', () => {
    expect(parseCombination('base@1;node@20', { known: true })).toHaveLength(2);
    expect(fieldOf(() => parseCombination('base@1;node@99', { known: true, field: 'row.combination' }))).toBe('row.combination[1]');
  });
});

describe('catalogue data', () => {
  it('layer ids are unique and sizes/times are positive and bounded', () => {
    const ids = new Set<string>();
    for (const m of CATALOGUE)
      for (const v of m.versions)
        for (const l of v.layers) {
          expect(ids.has(l.id)).toBe(false);
          ids.add(l.id);
          expect(l.sizeBytes).toBeGreaterThan(0);
          expect(l.payloadBytes).toBeGreaterThanOrEqual(1024);
          expect(l.payloadBytes).toBeLessThanOrEqual(262144);
          expect(l.buildSeconds).toBeGreaterThan(0);
          expect(l.id).toMatch(/^[a-z0-9._-]+$/);
        }
    expect(ids.size).toBeGreaterThan(60);
  });
  it('every version has a licence and a purl naming the version', () => {
    for (const item of catalogueItems()) {
      const [comp] = sbomComponents([item]);
      expect(comp?.licence).toBeTruthy();
      expect(comp?.purl).toContain(comp?.version ?? '?');
    }
  });
  it('canonical order puts base first and follows the catalogue', () => {
    expect(canonicalCombination(['numpy@1.26.4', 'python@3.11', 'base@2', 'zzz@1'])).toEqual([
      'base@2',
      'python@3.11',
      'numpy@1.26.4',
      'zzz@1',
    ]);
  });
});

describe('sampleCombination', () => {
  it('is deterministic for a seed, canonical, known, and satisfies requirements', () => {
    const a = Array.from(
      { length: 200 },
      (
        (r) => () =>
          sampleCombination(r)
      )(createRng(5)),
    );
    const b = Array.from(
      { length: 200 },
      (
        (r) => () =>
          sampleCombination(r)
      )(createRng(5)),
    );
    expect(a).toEqual(b);
    for (const c of a) {
      expect(c[0]).toMatch(/^base@/);
      expect(canonicalCombination(c)).toEqual(c);
      expect(parseCombination(formatCombination(c), { known: true })).toEqual(c);
      const names = new Set(c.map((i) => i.split('@')[0]));
      for (const n of names) for (const req of findModule(n ?? '')?.requires ?? []) expect(names.has(req)).toBe(true);
    }
    expect(new Set(a.map(formatCombination)).size).toBeGreaterThan(50);
  });
});

describe('layers and failures', () => {
  it('layer keys are shared exactly along a common prefix', () => {
    const x = layerKeys(['base@1', 'glibc@2.36', 'python@3.11']);
    const y = layerKeys(['base@1', 'glibc@2.36', 'node@20']);
    const z = layerKeys(['base@2', 'glibc@2.36', 'python@3.11']);
    const shared = combinationLayers(['base@1', 'glibc@2.36']).length;
    expect(x.slice(0, shared).map((l) => l.key)).toEqual(y.slice(0, shared).map((l) => l.key));
    expect(x[shared]?.key).not.toBe(y[shared]?.key);
    // Same module layers after a different base are different cache entries.
    expect(z.map((l) => l.key).filter((k) => x.some((l) => l.key === k))).toEqual([]);
  });
  it('known bad pairs raise the failure rate and set the category', () => {
    const ok = combinationFailure(['base@2', 'openssl@3.0.13', 'python@3.12']);
    const bad = combinationFailure(['base@2', 'openssl@1.1.1w', 'python@3.12']);
    expect(bad.rate).toBeGreaterThan(ok.rate + 0.2);
    expect(bad.category).toBe('compile');
    expect(combinationFailure(['base@1', 'python@3.11', 'numpy@1.26.4', 'tensorflow-lite@2.16.1']).category).toBe('timeout');
  });
});
