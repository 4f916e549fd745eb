/**
 * Dockerfile generation: a module combination becomes `FROM <base image>` plus one RUN step per catalogue
 * layer step. Every instruction depends only on the module version (and, for known-bad pairs, on the
 * combination prefix up to it), so the engine's classic build cache — keyed by parent image plus
 * instruction text — shares layers exactly between combinations that share a prefix.
 *
 * Payloads are deterministic and use only the base image's busybox applets: `yes <id> | head -c N` writes
 * the layer's payload bytes, `seq | sha256sum` does CPU work proportional to the step's reference build
 * time, and a marker file `/opt/pulse/modules/<module@version>` records what is installed.
 *
 * Known-bad pairs (catalogue FAILURE_PAIRS): when the later module of a pair is installed after the
 * earlier one, the pair fails for a deterministic share (`rate`) of prefixes — hashed, never random — and
 * its first layer then checks for the other module's marker and exits with the category's code, so the
 * real engine fails the step and the agent reads the category back from the exit code.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../../common/errors.js';
import { FAILURE_PAIRS, findModuleVersion, layerKeys, type FailureCategory, type FailurePair, type LayerStep } from '../catalogue.js';

/** Exit code of a failing module step, per failure category (124 is what `timeout(1)` returns). */
export const FAILURE_EXIT_CODES: Readonly<Record<FailureCategory, number>> = {
  compile: 21,
  dependency: 22,
  test: 23,
  infra: 75,
  timeout: 124,
};

/** Category of a RUN step's non-zero exit code; codes no module step uses count as `compile`. */
export function categoryOfExitCode(code: number): FailureCategory {
  const found = (Object.entries(FAILURE_EXIT_CODES) as [FailureCategory, number][]).find(([, c]) => c === code);
  return found ? found[0] : 'compile';
}

/** Label every image and build-cache layer of the agent carries (hygiene prunes by it). */
export const MANAGED_LABEL = 'dev.factorypulse.managed';
/** Value of {@link MANAGED_LABEL}. */
export const MANAGED_VALUE = 'pulse-agent';
/** Label naming the cache namespace of a layer (when one is set). */
export const NAMESPACE_LABEL = 'dev.factorypulse.cache-namespace';
/** Label naming the pool of a built image (final image only). */
export const POOL_LABEL = 'dev.factorypulse.pool';

/** One instruction of a generated Dockerfile. */
export interface PlannedStep {
  /** 1-based engine step number (`Step N/M`). */
  number: number;
  kind: 'from' | 'label' | 'namespace' | 'layer';
  instruction: string;
  /** Catalogue layer (kind `layer`). */
  layer?: LayerStep;
  /** `module@version` the step belongs to (kind `layer`). */
  item?: string;
  /** Cache key of the layer (catalogue `layerKeys`, salted by the cache namespace when one is set). */
  layerKey?: string;
}

/** A failure the generated Dockerfile will hit when built. */
export interface PlannedFailure {
  item: string;
  pair: FailurePair;
  exitCode: number;
}

/** The generated Dockerfile and what its steps are. */
export interface DockerfilePlan {
  text: string;
  combination: string[];
  steps: PlannedStep[];
  /** Steps the engine reports (`Step N/M`): these plus the final LABEL step the build's `labels` option adds. */
  engineSteps: number;
  /** The first step that will fail (the engine stops there), or null. */
  failure: PlannedFailure | null;
}

/** Options of {@link generateDockerfile}. */
export interface DockerfileOptions {
  /** Base image (config `docker.baseImage`). */
  baseImage: string;
  /**
   * Separates layer caches (e.g. tenants, or benchmarks and tests that must start cold): adds a LABEL
   * step right after FROM, so no layer is shared with another namespace, and every layer carries the
   * label (hygiene can remove a namespace's layers). Letters, digits, `.`, `_`, `-`.
   */
  cacheNamespace?: string;
}

const NAMESPACE_RE = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_WORK = 400_000;

/** CPU work of a step: `seq 1 N` with N proportional to its reference build time. */
export function stepWork(step: LayerStep): number {
  return Math.min(MAX_WORK, Math.max(1000, Math.round(step.buildSeconds * 4000)));
}

function matches(pattern: string, item: string): boolean {
  if (pattern.endsWith('@*')) return item.startsWith(pattern.slice(0, -1));
  return pattern === item;
}

/** Whether a pair fails for this prefix: a deterministic draw with the pair's rate. */
function pairFails(prefix: readonly string[], pair: FailurePair): boolean {
  const digest = createHash('sha256')
    .update(`${prefix.join(';')}|${pair.a}|${pair.b}`)
    .digest();
  return digest.readUInt32BE(0) / 4294967296 < pair.rate;
}

/** The first known-bad pair that fails when `item` is installed on top of `before`. */
function failureAt(before: readonly string[], item: string): { pair: FailurePair; other: string } | null {
  for (const pair of FAILURE_PAIRS) {
    for (const [mine, theirs] of [
      [pair.a, pair.b],
      [pair.b, pair.a],
    ] as const) {
      if (!matches(mine, item)) continue;
      const other = before.find((b) => matches(theirs, b));
      if (other !== undefined && pairFails([...before, item], pair)) return { pair, other };
    }
  }
  return null;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function layerInstruction(item: string, step: LayerStep, last: boolean, fail: { pair: FailurePair; other: string } | null): string {
  const dir = `/opt/pulse/${step.module}/${step.version}`;
  const parts = ['set -e', `mkdir -p ${dir}`];
  if (fail) {
    const code = FAILURE_EXIT_CODES[fail.pair.category];
    const msg = `${fail.pair.category}: ${item} is incompatible with ${fail.other}`;
    parts.push(`if test -e ${quote(`/opt/pulse/modules/${fail.other}`)}; then echo ${quote(msg)} >&2; exit ${code}; fi`);
  }
  parts.push(`yes ${quote(step.id)} | head -c ${step.payloadBytes} > ${dir}/${step.id}.bin`);
  parts.push(`seq 1 ${stepWork(step)} | sha256sum > ${dir}/${step.id}.sum`);
  if (last) parts.push(`mkdir -p /opt/pulse/modules`, `echo ${quote(step.version)} > ${quote(`/opt/pulse/modules/${item}`)}`);
  return `RUN ${parts.join('; ')}`;
}

/**
 * Generates the Dockerfile of a combination (items in build order, base first). Throws a
 * ValidationError naming `combination[i]` when an item is not in the catalogue or appears twice.
 */
export function generateDockerfile(combination: readonly string[], options: DockerfileOptions): DockerfilePlan {
  if (combination.length === 0) throw new ValidationError('combination', 'is empty');
  if (options.cacheNamespace !== undefined && !NAMESPACE_RE.test(options.cacheNamespace))
    throw new ValidationError('cacheNamespace', `"${options.cacheNamespace}" may hold only 1..64 letters, digits, ".", "_", "-"`);
  const seen = new Set<string>();
  combination.forEach((item, i) => {
    if (!findModuleVersion(item)) throw new ValidationError(`combination[${i}]`, `"${item}" is not in the module catalogue`);
    const name = item.split('@')[0] ?? item;
    if (seen.has(name)) throw new ValidationError(`combination[${i}]`, `module "${name}" appears twice`);
    seen.add(name);
  });

  const steps: PlannedStep[] = [];
  const add = (s: Omit<PlannedStep, 'number'>): void => void steps.push({ number: steps.length + 1, ...s });
  add({ kind: 'from', instruction: `FROM ${options.baseImage}` });
  add({ kind: 'label', instruction: `LABEL ${MANAGED_LABEL}=${MANAGED_VALUE}` });
  const ns = options.cacheNamespace;
  if (ns !== undefined) add({ kind: 'namespace', instruction: `LABEL ${NAMESPACE_LABEL}=${ns}` });

  const keys = new Map(layerKeys(combination).map((k) => [k.step.id, k.key]));
  const salt = (key: string): string =>
    ns === undefined ? key : `sha256:${createHash('sha256').update(`${ns}/${key}`).digest('hex').slice(0, 32)}`;
  let failure: PlannedFailure | null = null;
  combination.forEach((item, i) => {
    const mv = findModuleVersion(item);
    if (!mv) return;
    const fail = failureAt(combination.slice(0, i), item);
    if (fail && !failure) failure = { item, pair: fail.pair, exitCode: FAILURE_EXIT_CODES[fail.pair.category] };
    mv.layers.forEach((layer, li) => {
      const instruction = layerInstruction(item, layer, li === mv.layers.length - 1, li === 0 ? fail : null);
      add({ kind: 'layer', instruction, layer, item, layerKey: salt(keys.get(layer.id) ?? layer.id) });
    });
  });

  const text = [`# Generated by the Factory Pulse agent for ${combination.join(';')}`, ...steps.map((s) => s.instruction), ''].join('\n');
  return { text, combination: [...combination], steps, engineSteps: steps.length + 1, failure };
}
