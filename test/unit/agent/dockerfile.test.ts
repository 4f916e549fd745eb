// Dockerfile generation: deterministic text, shared prefixes, failure steps of known-bad pairs.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../common/errors.js';
import { categoryOfExitCode, FAILURE_EXIT_CODES, generateDockerfile, stepWork } from '../../../ingest/agent/dockerfile.js';
import { catalogueItems, combinationLayers, findModuleVersion, layerKeys, sampleCombination } from '../../../ingest/catalogue.js';
import { createRng } from '../../../ingest/simulator/rng.js';
import { BASE_IMAGE_APPLETS } from '../../../deploy/index.js';

const opts = { baseImage: 'pulse/base:1' };

describe('generateDockerfile', () => {
  it('is deterministic: the same combination gives the same text', () => {
    const c = ['base@2', 'glibc@2.36', 'openssl@3.0.13', 'python@3.11'];
    expect(generateDockerfile(c, opts).text).toBe(generateDockerfile([...c], opts).text);
  });

  it('starts FROM the configured base image and has one RUN step per catalogue layer', () => {
    const c = ['base@1', 'zlib@1.3.1', 'node@20'];
    const plan = generateDockerfile(c, opts);
    expect(plan.text.split('\n')[1]).toBe('FROM pulse/base:1');
    const layers = plan.steps.filter((s) => s.kind === 'layer');
    expect(layers.map((s) => s.layer?.id)).toEqual(combinationLayers(c).map((l) => l.id));
    expect(layers.every((s) => s.instruction.startsWith('RUN '))).toBe(true);
    expect(plan.steps.map((s) => s.number)).toEqual(plan.steps.map((_, i) => i + 1));
    expect(plan.engineSteps).toBe(plan.steps.length + 1);
  });

  it('gives combinations sharing a prefix identical instructions for that prefix only', () => {
    const a = generateDockerfile(['base@1', 'glibc@2.36', 'openssl@3.0.13', 'node@20'], opts);
    const b = generateDockerfile(['base@1', 'glibc@2.36', 'openssl@3.0.13', 'python@3.11'], opts);
    const prefixSteps = 2 + ['base@1', 'glibc@2.36', 'openssl@3.0.13'].reduce((n, i) => n + (findModuleVersion(i)?.layers.length ?? 0), 0);
    expect(a.steps.slice(0, prefixSteps).map((s) => s.instruction)).toEqual(b.steps.slice(0, prefixSteps).map((s) => s.instruction));
    expect(a.steps[prefixSteps]?.instruction).not.toBe(b.steps[prefixSteps]?.instruction);
  });

  it('uses the catalogue layer keys, salted by a cache namespace that adds a LABEL step', () => {
    const c = ['base@3', 'curl@8.5.0'];
    const plain = generateDockerfile(c, opts);
    expect(plain.steps.filter((s) => s.kind === 'layer').map((s) => s.layerKey)).toEqual(layerKeys(c).map((k) => k.key));
    const ns = generateDockerfile(c, { ...opts, cacheNamespace: 'bench-1' });
    expect(ns.steps[2]).toMatchObject({ kind: 'namespace', instruction: 'LABEL dev.factorypulse.cache-namespace=bench-1' });
    const nsKeys = ns.steps.filter((s) => s.kind === 'layer').map((s) => s.layerKey);
    expect(nsKeys).toHaveLength(layerKeys(c).length);
    expect(nsKeys.some((k) => layerKeys(c).some((x) => x.key === k))).toBe(false);
    expect(() => generateDockerfile(c, { ...opts, cacheNamespace: 'bad ns' })).toThrow(ValidationError);
  });

  it('uses only applets of the base image in RUN steps', () => {
    const rng = createRng(11);
    const used = new Set<string>();
    for (let i = 0; i < 50; i++) {
      for (const s of generateDockerfile(sampleCombination(rng), opts).steps.filter((x) => x.kind === 'layer')) {
        const body = s.instruction.slice(4).replace(/'[^']*'/g, "''");
        for (const cmd of body.split(/;|\||&&|\bthen\b|\bfi\b/)) {
          const word = cmd.trim().split(/\s+/)[0];
          if (word && !['set', 'if', 'exit', ''].includes(word)) used.add(word);
        }
      }
    }
    expect([...used].filter((w) => !BASE_IMAGE_APPLETS.includes(w))).toEqual([]);
    expect(used.has('sha256sum')).toBe(true);
  });

  it('rejects unknown items and repeated modules naming the index', () => {
    expect(() => generateDockerfile(['base@1', 'cobol@85'], opts)).toThrow(/combination\[1\]/);
    expect(() => generateDockerfile(['base@1', 'node@18', 'node@20'], opts)).toThrow(/combination\[2\].*twice/);
    expect(() => generateDockerfile([], opts)).toThrow(ValidationError);
  });

  it('plans failures of known-bad pairs with the category exit code, at a rate near the pair rate', () => {
    const failing = generateDockerfile(['base@1', 'zlib@1.2.13', 'curl@8.9.1'], opts);
    expect(failing.failure).toMatchObject({ item: 'curl@8.9.1', exitCode: FAILURE_EXIT_CODES.compile });
    const first = failing.steps.find((s) => s.item === 'curl@8.9.1');
    expect(first?.instruction).toContain(`exit ${FAILURE_EXIT_CODES.compile}`);
    expect(first?.instruction).toContain("test -e '/opt/pulse/modules/zlib@1.2.13'");
    // Without the pair's other module there is no failure step.
    expect(generateDockerfile(['base@1', 'zlib@1.3.1', 'curl@8.9.1'], opts).failure).toBeNull();
    // Over many prefixes, a pair fails for roughly its rate (0.5 for protobuf@3.21.12 + grpc@1.66.0).
    const bases = ['base@1', 'base@2', 'base@3'];
    const middles = catalogueItems().filter((i) => /^(glibc|zlib|openssl|curl)@/.test(i));
    let fails = 0;
    let total = 0;
    for (const b of bases)
      for (const m of middles) {
        total += 1;
        if (generateDockerfile([b, m, 'protobuf@3.21.12', 'grpc@1.66.0'], opts).failure) fails += 1;
      }
    expect(fails / total).toBeGreaterThan(0.2);
    expect(fails / total).toBeLessThan(0.8);
  });

  it('maps exit codes back to categories', () => {
    for (const [cat, code] of Object.entries(FAILURE_EXIT_CODES)) expect(categoryOfExitCode(code)).toBe(cat);
    expect(categoryOfExitCode(1)).toBe('compile');
  });

  it('scales CPU work with the reference build time within bounds', () => {
    const layers = combinationLayers(catalogueItems());
    for (const l of layers) {
      expect(stepWork(l)).toBeGreaterThanOrEqual(1000);
      expect(stepWork(l)).toBeLessThanOrEqual(400_000);
    }
  });
});
