/**
 * The module catalogue: what the factory builds. An image is a *module combination* — a base plus
 * modules at versions, written `base@2;openssl@3.0.13;python@3.11` — always in the canonical module
 * order below, so combinations that agree on their first modules share those layers (and cache hits).
 *
 * Every `module@version` has layer steps with a stable id, a nominal size, a small deterministic
 * payload size (what a real executor writes in a Dockerfile RUN step) and a base build time; a
 * licence and purl for SBOMs. Some module pairs fail far more often than others (by category).
 * All numbers derive from the names by hashing, never from a random seed: they are the same everywhere.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../common/errors.js';
import type { SbomComponent } from './contracts/types.js';
import { hash32, type Rng } from './simulator/rng.js';

/** Why a build failed. */
export type FailureCategory = 'compile' | 'test' | 'dependency' | 'infra' | 'timeout';

/** One layer (Dockerfile RUN step) of a module version. */
export interface LayerStep {
  /** Stable id, e.g. `python-3.11-1` (safe in file names and Docker labels). */
  id: string;
  module: string;
  version: string;
  /** 0-based index within the module version. */
  index: number;
  /** Nominal layer size in the simulated factory (bytes). */
  sizeBytes: number;
  /** Bytes a real executor writes for this step (1 KiB..256 KiB, deterministic). */
  payloadBytes: number;
  /** Build time of the step on an idle reference executor, seconds. */
  buildSeconds: number;
}

/** A module at one version. */
export interface ModuleVersion {
  module: string;
  version: string;
  /** `module@version`. */
  item: string;
  licence: string;
  purl: string;
  layers: readonly LayerStep[];
}

/** A module with its versions (oldest first) and the modules it needs. */
export interface CatalogueModule {
  name: string;
  /** Position in the canonical order (base is 0). */
  order: number;
  requires: readonly string[];
  /** Share of combinations that include the module (base: always). */
  popularity: number;
  versions: readonly ModuleVersion[];
}

/** A pair of module versions that fails more often than either alone. */
export interface FailurePair {
  a: string;
  b: string;
  rate: number;
  category: FailureCategory;
}

interface Profile {
  name: string;
  versions: string[];
  licence: string;
  purl: (v: string) => string;
  layers: [number, number];
  sizeMb: [number, number];
  seconds: [number, number];
  popularity: number;
  requires?: string[];
}

const generic = (name: string) => (v: string) => `pkg:generic/${name}@${v}`;

const PROFILES: Profile[] = [
  {
    name: 'base',
    versions: ['1', '2', '3'],
    licence: 'MIT',
    purl: generic('pulse-base'),
    layers: [2, 2],
    sizeMb: [5, 30],
    seconds: [3, 8],
    popularity: 1,
  },
  {
    name: 'glibc',
    versions: ['2.31', '2.36', '2.38'],
    licence: 'LGPL-2.1-or-later',
    purl: (v) => `pkg:deb/debian/libc6@${v}`,
    layers: [1, 2],
    sizeMb: [10, 25],
    seconds: [10, 40],
    popularity: 0.9,
  },
  {
    name: 'zlib',
    versions: ['1.2.13', '1.3.1'],
    licence: 'Zlib',
    purl: (v) => `pkg:deb/debian/zlib1g@${v}`,
    layers: [1, 1],
    sizeMb: [1, 2],
    seconds: [4, 12],
    popularity: 0.7,
  },
  {
    name: 'openssl',
    versions: ['1.1.1w', '3.0.13', '3.2.1'],
    licence: 'Apache-2.0',
    purl: (v) => `pkg:deb/debian/openssl@${v}`,
    layers: [1, 2],
    sizeMb: [5, 12],
    seconds: [20, 90],
    popularity: 0.75,
  },
  {
    name: 'curl',
    versions: ['8.5.0', '8.9.1'],
    licence: 'curl',
    purl: (v) => `pkg:deb/debian/curl@${v}`,
    layers: [1, 1],
    sizeMb: [1, 4],
    seconds: [8, 25],
    popularity: 0.4,
  },
  {
    name: 'python',
    versions: ['3.9', '3.10', '3.11', '3.12'],
    licence: 'PSF-2.0',
    purl: generic('python'),
    layers: [2, 3],
    sizeMb: [40, 90],
    seconds: [60, 240],
    popularity: 0.45,
  },
  {
    name: 'node',
    versions: ['18', '20', '22'],
    licence: 'MIT',
    purl: generic('node'),
    layers: [2, 3],
    sizeMb: [45, 110],
    seconds: [40, 180],
    popularity: 0.35,
  },
  {
    name: 'java',
    versions: ['11', '17', '21'],
    licence: 'GPL-2.0-with-classpath-exception',
    purl: generic('openjdk'),
    layers: [2, 3],
    sizeMb: [120, 200],
    seconds: [50, 150],
    popularity: 0.25,
  },
  {
    name: 'go',
    versions: ['1.21', '1.22', '1.23'],
    licence: 'BSD-3-Clause',
    purl: (v) => `pkg:golang/std@${v}`,
    layers: [1, 2],
    sizeMb: [60, 130],
    seconds: [30, 90],
    popularity: 0.25,
  },
  {
    name: 'rust',
    versions: ['1.75', '1.79', '1.82'],
    licence: 'MIT OR Apache-2.0',
    purl: generic('rust'),
    layers: [2, 3],
    sizeMb: [150, 260],
    seconds: [90, 300],
    popularity: 0.15,
  },
  {
    name: 'postgres-client',
    versions: ['14', '15', '16'],
    licence: 'PostgreSQL',
    purl: (v) => `pkg:deb/debian/postgresql-client@${v}`,
    layers: [1, 1],
    sizeMb: [5, 15],
    seconds: [15, 45],
    popularity: 0.3,
  },
  {
    name: 'protobuf',
    versions: ['3.21.12', '25.3', '27.1'],
    licence: 'BSD-3-Clause',
    purl: generic('protobuf'),
    layers: [1, 2],
    sizeMb: [5, 20],
    seconds: [60, 200],
    popularity: 0.3,
  },
  {
    name: 'grpc',
    versions: ['1.58.0', '1.62.1', '1.66.0'],
    licence: 'Apache-2.0',
    purl: generic('grpc'),
    layers: [2, 3],
    sizeMb: [20, 60],
    seconds: [120, 480],
    popularity: 0.6,
    requires: ['protobuf'],
  },
  {
    name: 'numpy',
    versions: ['1.24.4', '1.26.4', '2.0.1'],
    licence: 'BSD-3-Clause',
    purl: (v) => `pkg:pypi/numpy@${v}`,
    layers: [1, 2],
    sizeMb: [25, 45],
    seconds: [40, 200],
    popularity: 0.6,
    requires: ['python'],
  },
  {
    name: 'tensorflow-lite',
    versions: ['2.14.0', '2.16.1'],
    licence: 'Apache-2.0',
    purl: (v) => `pkg:pypi/tflite-runtime@${v}`,
    layers: [2, 4],
    sizeMb: [60, 160],
    seconds: [200, 900],
    popularity: 0.4,
    requires: ['python', 'numpy'],
  },
  {
    name: 'nginx',
    versions: ['1.24.0', '1.26.2'],
    licence: 'BSD-2-Clause',
    purl: (v) => `pkg:deb/debian/nginx@${v}`,
    layers: [1, 2],
    sizeMb: [3, 10],
    seconds: [15, 60],
    popularity: 0.2,
  },
];

/** Pairs of module versions with elevated failure rates (a version `*` matches every version). */
export const FAILURE_PAIRS: readonly FailurePair[] = [
  { a: 'openssl@1.1.1w', b: 'python@3.12', rate: 0.35, category: 'compile' },
  { a: 'openssl@3.2.1', b: 'node@18', rate: 0.3, category: 'dependency' },
  { a: 'glibc@2.31', b: 'rust@1.82', rate: 0.3, category: 'compile' },
  { a: 'glibc@2.31', b: 'java@21', rate: 0.2, category: 'test' },
  { a: 'protobuf@3.21.12', b: 'grpc@1.66.0', rate: 0.5, category: 'dependency' },
  { a: 'numpy@2.0.1', b: 'tensorflow-lite@2.14.0', rate: 0.45, category: 'test' },
  { a: 'base@1', b: 'tensorflow-lite@*', rate: 0.25, category: 'timeout' },
  { a: 'zlib@1.2.13', b: 'curl@8.9.1', rate: 0.15, category: 'compile' },
];

/** Failure rate of a combination without any bad pair (infra noise). */
export const BASE_FAILURE_RATE = 0.02;

const unit = (key: string): number => hash32(key) / 4294967296;
const between = (key: string, [lo, hi]: [number, number]): number => lo + (hi - lo) * unit(key);

function buildModule(p: Profile, order: number): CatalogueModule {
  const versions = p.versions.map((version, vi): ModuleVersion => {
    const item = `${p.name}@${version}`;
    const count = Math.round(between(`${item}:layers`, p.layers));
    const layers = Array.from({ length: count }, (_, index): LayerStep => {
      const key = `${item}:${index}`;
      // Newer versions grow a little: later versions are ~5% bigger and slower per step.
      const growth = 1 + 0.05 * vi;
      const sizeBytes = Math.round((between(`${key}:size`, p.sizeMb) * growth * 1048576) / count);
      const payloadBytes = Math.min(262144, Math.max(1024, Math.round(sizeBytes / 1024 / 1024) * 1024));
      const buildSeconds = Math.round((between(`${key}:secs`, p.seconds) * growth * 10) / count) / 10;
      return { id: `${p.name}-${version}-${index}`, module: p.name, version, index, sizeBytes, payloadBytes, buildSeconds };
    });
    return { module: p.name, version, item, licence: p.licence, purl: p.purl(version), layers };
  });
  return { name: p.name, order, requires: p.requires ?? [], popularity: p.popularity, versions };
}

/** Every module, in canonical order (base first). */
export const CATALOGUE: readonly CatalogueModule[] = PROFILES.map(buildModule);

const BY_NAME = new Map(CATALOGUE.map((m) => [m.name, m]));
const BY_ITEM = new Map(CATALOGUE.flatMap((m) => m.versions.map((v) => [v.item, v] as const)));
const ITEM_RE = /^([a-z0-9][a-z0-9._-]*)@([0-9A-Za-z][0-9A-Za-z._+-]*)$/;

/** The catalogue entry of a `module@version`, or undefined when the catalogue does not know it. */
export function findModuleVersion(item: string): ModuleVersion | undefined {
  return BY_ITEM.get(item);
}

/** The module of a name, or undefined. */
export function findModule(name: string): CatalogueModule | undefined {
  return BY_NAME.get(name);
}

/** Options of {@link parseCombination}. */
export interface ParseCombinationOptions {
  /** Require every item to be in the catalogue (default false: any well-formed `name@version`). */
  known?: boolean;
  /** Field path used in errors (default `combination`). */
  field?: string;
}

/**
 * Parses `base@1;node@20` into `['base@1', 'node@20']`. Throws a ValidationError naming the bad
 * item (`combination[1]`) when an item is not `name@version`, repeats a module, or (with `known`)
 * is not in the catalogue.
 */
export function parseCombination(text: string, options: ParseCombinationOptions = {}): string[] {
  const field = options.field ?? 'combination';
  const trimmed = text.trim();
  if (trimmed === '') throw new ValidationError(field, 'is empty; expected module@version items separated by ";"');
  const items = trimmed.split(';').map((s) => s.trim());
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const m = ITEM_RE.exec(item);
    if (!m) throw new ValidationError(`${field}[${i}]`, `"${item}" is not of the form module@version`);
    const name = m[1] ?? '';
    if (seen.has(name)) throw new ValidationError(`${field}[${i}]`, `module "${name}" appears twice`);
    seen.add(name);
    if (options.known && !BY_ITEM.has(item)) throw new ValidationError(`${field}[${i}]`, `"${item}" is not in the module catalogue`);
  });
  return items;
}

/** Joins items with `;` (the text form, also the Kafka key of test results). */
export function formatCombination(items: readonly string[]): string {
  return items.join(';');
}

/** Sorts items into canonical order (base first, catalogue order, unknown modules last by name). */
export function canonicalCombination(items: readonly string[]): string[] {
  const rank = (item: string): number => BY_NAME.get(item.split('@')[0] ?? '')?.order ?? CATALOGUE.length;
  return [...items].sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0));
}

/** Options of {@link sampleCombination}. */
export interface SampleOptions {
  /** Extra modules beyond base at most (default 6). */
  maxModules?: number;
}

/**
 * Draws a combination in canonical order: a base, then each module with its popularity (only when
 * its requirements are present), newer versions more likely. Early modules are popular, so samples
 * share prefixes.
 */
export function sampleCombination(rng: Rng, options: SampleOptions = {}): string[] {
  const max = options.maxModules ?? 6;
  const out: string[] = [];
  const present = new Set<string>();
  for (const m of CATALOGUE) {
    if (m.name !== 'base') {
      if (out.length - 1 >= max) break;
      if (!m.requires.every((r) => present.has(r)) || !rng.chance(m.popularity)) continue;
    }
    const v = m.versions[rng.weighted(m.versions.map((_, i) => i + 1))];
    if (!v) continue;
    out.push(v.item);
    present.add(m.name);
  }
  return out;
}

/** Layer steps of a combination in build order; unknown items contribute nothing. */
export function combinationLayers(items: readonly string[]): LayerStep[] {
  return items.flatMap((item) => BY_ITEM.get(item)?.layers ?? []);
}

/**
 * Cache keys of a combination's layers: each key hashes its parent key and the step id, so a layer
 * is shared exactly when the whole prefix up to it is shared (like Docker's build cache).
 */
export function layerKeys(items: readonly string[]): { step: LayerStep; key: string }[] {
  let parent = '';
  return combinationLayers(items).map((step) => {
    parent = createHash('sha256').update(`${parent}/${step.id}`).digest('hex').slice(0, 32);
    return { step, key: `sha256:${parent}` };
  });
}

/** Failure risk of a combination: base rate plus each matching bad pair; the worst pair names the category. */
export function combinationFailure(items: readonly string[]): { rate: number; category: FailureCategory; pairs: FailurePair[] } {
  const set = new Set(items);
  const names = new Set(items.map((i) => `${i.split('@')[0] ?? ''}@*`));
  const has = (x: string) => set.has(x) || names.has(x);
  const pairs = FAILURE_PAIRS.filter((p) => has(p.a) && has(p.b));
  const survive = pairs.reduce((acc, p) => acc * (1 - p.rate), 1 - BASE_FAILURE_RATE);
  const worst = [...pairs].sort((x, y) => y.rate - x.rate)[0];
  return { rate: 1 - survive, category: worst?.category ?? 'infra', pairs };
}

/** SBOM components of a combination (catalogue items only). */
export function sbomComponents(items: readonly string[]): SbomComponent[] {
  return items.flatMap((item) => {
    const v = BY_ITEM.get(item);
    return v ? [{ name: v.module, purl: v.purl, version: v.version, licence: v.licence }] : [];
  });
}

/** Every `module@version` the catalogue knows. */
export function catalogueItems(): string[] {
  return [...BY_ITEM.keys()];
}
