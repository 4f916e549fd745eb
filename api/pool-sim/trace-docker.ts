/**
 * A demand trace built from REAL build timings: builds catalogue combinations on the local Docker
 * engine through the agent's own Dockerfile generator and build driver (ingest/agent), first cold (a
 * fresh cache namespace) and then again (every layer cached), and records each module's measured cold
 * time and cached time. The demand side (arrivals) is synthetic and documented in the trace's source:
 * a working-hours Poisson stream over the measured combinations with Zipf popularity, and push bursts.
 * Measured times are multiplied by `timeScale` (the busybox steps here take seconds; real factories
 * take minutes) — the ratio between modules and between cold and cached times is what is real.
 */
import Docker from 'dockerode';
import { DockerError, InputError, ValidationError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import { createBuildDriver, createRng, generateDockerfile, sampleCombination } from '../../ingest/index.js';
import { layersOf, sortTrace, type Trace, type TraceJob } from './trace.js';

/** Per-combination measurement. */
export interface MeasuredCombination {
  combination: string[];
  /** Measured cold time per item, ms (unscaled). */
  coldMs: number[];
  /** Measured time per item when every layer was cached, ms (unscaled). */
  cachedMs: number[];
}

/** What {@link recordDockerTimings} measured. */
export interface DockerRecording {
  engine: string;
  combinations: MeasuredCombination[];
  /** Σ cached / Σ cold over all items: the measured hit cost ratio. */
  hitCostRatio: number;
}

/** Options of {@link recordDockerTimings}. */
export interface DockerRecordOptions {
  dockerHost: string;
  baseImage: string;
  logger: Logger;
  /** Combinations to build. Default 6. */
  combinations?: number;
  seed?: number;
  progress?: (msg: string) => void;
}

function perItem(combination: readonly string[], steps: { item?: string; ms: number }[]): number[] {
  return combination.map((item) => steps.filter((s) => s.item === item).reduce((a, s) => a + s.ms, 0));
}

/** Builds the combinations twice on the engine and returns the measured per-item timings; removes its images. */
export async function recordDockerTimings(o: DockerRecordOptions): Promise<DockerRecording> {
  if (!o.dockerHost.startsWith('unix://'))
    throw new DockerError('record', `only unix:// engine sockets are supported here, got ${o.dockerHost}`);
  const docker = new Docker({ socketPath: o.dockerHost.slice('unix://'.length) });
  const driver = createBuildDriver({ docker, logger: o.logger });
  const rng = createRng(o.seed ?? 7);
  const namespace = `poolsim-${Date.now().toString(36)}`;
  const out: MeasuredCombination[] = [];
  const tags: string[] = [];
  try {
    for (let tries = 0; out.length < (o.combinations ?? 6) && tries < 100; tries++) {
      const combination = sampleCombination(rng, { maxModules: 4 });
      const plan = generateDockerfile(combination, { baseImage: o.baseImage, cacheNamespace: namespace });
      if (plan.failure || out.some((m) => m.combination.join(';') === combination.join(';'))) continue;
      const runs: { item?: string; ms: number; cached: boolean }[][] = [];
      for (const pass of ['cold', 'cached']) {
        const tag = `pulse-poolsim:${namespace}-${out.length}-${pass}`;
        tags.push(tag);
        const r = await driver.build({ plan, tag, labels: { 'dev.factorypulse.managed': 'pulse-agent' }, timeoutMs: 300_000 });
        if (r.status !== 'PASSED')
          throw new DockerError('build', `recording build of ${combination.join(';')} ${r.status}: ${r.error ?? ''}`);
        runs.push(
          r.steps.filter((s) => s.planned?.kind === 'layer').map((s) => ({ item: s.planned?.item, ms: s.latencyMs, cached: s.cached })),
        );
      }
      const [cold, cached] = runs as [{ item?: string; ms: number; cached: boolean }[], { item?: string; ms: number; cached: boolean }[]];
      // Earlier combinations may have cached a shared prefix: take cold times only from steps that really ran.
      const coldMs = combination.map((item) => {
        const ran = cold.filter((s) => s.item === item && !s.cached);
        const known = out.find((m) => m.combination.includes(item));
        return ran.length > 0 ? ran.reduce((a, s) => a + s.ms, 0) : (known?.coldMs[known.combination.indexOf(item)] ?? 0);
      });
      out.push({ combination, coldMs, cachedMs: perItem(combination, cached) });
      o.progress?.(`recorded ${combination.join(';')}: cold ${coldMs.reduce((a, b) => a + b, 0)} ms`);
    }
  } finally {
    for (const tag of tags) {
      try {
        await docker.getImage(tag).remove({ force: true });
      } catch (err) {
        o.logger.debug({ err, tag }, 'recording image already gone');
      }
    }
  }
  const cold = out.reduce((s, m) => s + m.coldMs.reduce((a, b) => a + b, 0), 0);
  const cached = out.reduce((s, m) => s + m.cachedMs.reduce((a, b) => a + b, 0), 0);
  return { engine: o.dockerHost, combinations: out, hitCostRatio: cold === 0 ? 0 : cached / cold };
}

/** Options of {@link traceFromRecording}. */
export interface RecordedTraceOptions {
  seed?: number;
  days?: number;
  /** Multiplies measured times. Default 60. */
  timeScale?: number;
  /** Builds per working hour (09–17 UTC weekdays; 10% of that off-hours). Default 40. */
  perHour?: number;
  /** Non-cacheable part per build (tests, push), ms after scaling. Default 30 000. */
  fixedMs?: number;
}

/** A week of demand over the measured combinations (see the module doc). */
export function traceFromRecording(rec: DockerRecording, o: RecordedTraceOptions = {}): Trace {
  const rng = createRng(o.seed ?? 11);
  const days = o.days ?? 7;
  const scale = o.timeScale ?? 60;
  const perHour = o.perHour ?? 40;
  const start = Date.UTC(2024, 0, 1);
  const weights = rec.combinations.map((_, i) => 1 / (i + 1));
  const jobs: TraceJob[] = [];
  const add = (at: number): void => {
    const m = rec.combinations[rng.weighted(weights)];
    if (!m) return;
    jobs.push({
      id: `rec-${jobs.length + 1}`,
      arrivalMs: Math.round(at),
      pool: 'recorded',
      combination: m.combination,
      layers: layersOf(
        m.combination,
        m.coldMs.map((ms) => ms * scale),
      ),
      fixedMs: o.fixedMs ?? 30_000,
    });
  };
  for (let h = 0; h < days * 24; h++) {
    const t0 = start + h * 3_600_000;
    const hour = h % 24;
    const weekday = new Date(t0).getUTCDay() % 6 !== 0;
    const rate = weekday && hour >= 9 && hour < 17 ? perHour * (hour === 12 ? 0.6 : 1) : perHour * 0.1;
    for (let t = t0 + rng.exponential(3_600_000 / rate); t < t0 + 3_600_000; t += rng.exponential(3_600_000 / rate)) add(t);
    // A push burst most working hours: a merge triggers a batch of builds within two minutes.
    if (weekday && hour >= 9 && hour < 17 && rng.chance(0.5)) {
      const burst = t0 + rng.next() * 3_480_000;
      for (let k = rng.int(5, 15); k > 0; k--) add(burst + rng.next() * 120_000);
    }
  }
  return sortTrace({
    name: 'recorded-docker',
    source: `per-module build times measured on ${rec.engine} (${rec.combinations.length} combinations, ×${scale}); synthetic working-hours arrivals with push bursts`,
    jobs,
  });
}

/** The recording shipped with the repository (measured here; see its `how`). */
export const DEFAULT_RECORDING = new URL('./data/docker-recording.json', import.meta.url);

/** Reads and checks a recording JSON file. */
export async function readRecording(file: string | URL): Promise<DockerRecording> {
  const { readFile } = await import('node:fs/promises');
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new InputError('--recorded', `cannot read recording ${String(file)}: ${(err as Error).message}`, { cause: err });
  }
  const d = data as Partial<DockerRecording>;
  if (!Array.isArray(d.combinations) || d.combinations.length === 0)
    throw new ValidationError('combinations', 'recording needs a non-empty combinations array');
  d.combinations.forEach((m, i) => {
    if (
      !Array.isArray(m.combination) ||
      !Array.isArray(m.coldMs) ||
      m.coldMs.length !== m.combination.length ||
      m.coldMs.some((x) => typeof x !== 'number' || !(x >= 0))
    ) {
      throw new ValidationError(`combinations[${i}]`, 'needs combination[] and coldMs[] (non-negative numbers) of equal length');
    }
  });
  return { engine: String(d.engine ?? 'unknown'), combinations: d.combinations, hitCostRatio: Number(d.hitCostRatio ?? 0) };
}
