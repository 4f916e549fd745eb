/**
 * Runs one build on the Docker engine through dockerode: classic builder (`version: '1'`, so per-step
 * cache use is visible as `---> Using cache`), host networking, the generated Dockerfile as the only file
 * of the context. Reports each step as it ends — whether the engine reused the layer, the layer's bytes
 * (image size minus its parent's), how long it took — and classifies failures by the step's exit code.
 */
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { Logger } from '../../common/logger.js';
import type { FailureCategory } from '../catalogue.js';
import { createBuildStreamParser, createJsonLineSplitter, type BuildStreamEvent } from './build-stream.js';
import { categoryOfExitCode, type DockerfilePlan, type PlannedStep } from './dockerfile.js';
import { packTar } from './tar.js';

/** One finished build step. */
export interface StepResult {
  number: number;
  /** The planned step (undefined for the final LABEL step added by the build's labels). */
  planned: PlannedStep | undefined;
  /** The engine reused the layer. */
  cached: boolean;
  imageId: string;
  /** Bytes the step's layer adds to the image (0 for metadata-only steps). */
  bytes: number;
  latencyMs: number;
}

/** Outcome of a build. */
export interface BuildResult {
  status: 'PASSED' | 'FAILED' | 'ERRORED' | 'CANCELLED';
  failureCategory: FailureCategory | null;
  /** Engine message of the failure. */
  error: string | null;
  exitCode: number | null;
  /** Step number that failed. */
  failedStep: number | null;
  imageId: string | null;
  imageSizeBytes: number | null;
  layerCount: number | null;
  steps: StepResult[];
  durationMs: number;
}

/** What to build. */
export interface BuildRequest {
  plan: DockerfilePlan;
  /** Image tag (`repo:tag`). */
  tag: string;
  /** Labels of the final image. */
  labels: Record<string, string>;
  /** Build time limit; beyond it the build is aborted and FAILED with category `timeout`. */
  timeoutMs: number;
  /** Aborts the build (shutdown): CANCELLED. */
  signal?: AbortSignal;
  /** Called as each step ends (cache events are emitted from here). */
  onStep?: (step: StepResult) => void;
  /** Called for output lines of the build (logs at debug level otherwise). */
  onOutput?: (text: string) => void;
}

/** Builds images. */
export interface BuildDriver {
  build(request: BuildRequest): Promise<BuildResult>;
}

/** Dependencies of {@link createBuildDriver}. */
export interface BuildDriverDeps {
  docker: Docker;
  logger: Logger;
  clock?: () => number;
}

/** Creates the dockerode build driver. */
export function createBuildDriver(deps: BuildDriverDeps): BuildDriver {
  const { docker } = deps;
  const now = deps.clock ?? Date.now;
  const log = deps.logger.child({ component: 'build-driver' });

  const imageSize = async (id: string): Promise<number> => {
    const info = await docker.getImage(id).inspect();
    return info.Size;
  };

  async function build(req: BuildRequest): Promise<BuildResult> {
    const started = now();
    const steps: StepResult[] = [];
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), req.timeoutMs);
    const abort = AbortSignal.any([timeout.signal, ...(req.signal ? [req.signal] : [])]);
    const parser = createBuildStreamParser(now);
    const splitter = createJsonLineSplitter();
    let failure: Extract<BuildStreamEvent, { type: 'error' }> | null = null;
    let imageId: string | null = null;
    let previousSize: Promise<number> = Promise.resolve(0);
    let sizing: Promise<void> = Promise.resolve();

    const handle = (ev: BuildStreamEvent): void => {
      switch (ev.type) {
        case 'step-end': {
          const parentSize = previousSize;
          const size = imageSize(ev.imageId);
          previousSize = size;
          // Sizes are looked up in order so each step's bytes are its size minus its parent's.
          sizing = sizing.then(async () => {
            let bytes = 0;
            try {
              const planned = req.plan.steps[ev.number - 1];
              bytes = planned?.kind === 'from' ? 0 : Math.max(0, (await size) - (await parentSize));
            } catch (err) {
              log.warn({ err, imageId: ev.imageId }, 'cannot inspect step image; reporting 0 bytes');
            }
            const step: StepResult = {
              number: ev.number,
              planned: req.plan.steps[ev.number - 1],
              cached: ev.cached,
              imageId: ev.imageId,
              bytes,
              latencyMs: ev.at - ev.startedAt,
            };
            steps.push(step);
            req.onStep?.(step);
          });
          break;
        }
        case 'error':
          failure = ev;
          break;
        case 'image':
          imageId = ev.imageId;
          break;
        case 'output':
          if (req.onOutput) req.onOutput(ev.text);
          else log.debug({ tag: req.tag }, ev.text);
          break;
        case 'step-start':
          break;
      }
    };

    let streamError: Error | null = null;
    try {
      const context = Readable.from([packTar([{ name: 'Dockerfile', content: req.plan.text }])]);
      const stream = await docker.buildImage(context, {
        t: req.tag,
        networkmode: 'host',
        version: '1',
        rm: true,
        forcerm: true,
        labels: req.labels,
        abortSignal: abort,
      });
      await new Promise<void>((resolve, reject) => {
        stream.on('data', (chunk: Buffer) => {
          for (const msg of splitter.push(chunk)) for (const ev of parser.push(msg)) handle(ev);
        });
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', reject);
      });
      for (const msg of splitter.end()) for (const ev of parser.push(msg)) handle(ev);
      for (const ev of parser.end()) handle(ev);
    } catch (err) {
      streamError = err as Error;
    } finally {
      clearTimeout(timer);
    }
    await sizing;

    const base = { steps, durationMs: now() - started };
    const failed = failure as Extract<BuildStreamEvent, { type: 'error' }> | null;
    if (timeout.signal.aborted)
      return {
        ...base,
        ...empty,
        status: 'FAILED',
        failureCategory: 'timeout',
        error: `build exceeded ${req.timeoutMs} ms`,
        failedStep: failed?.step ?? null,
      };
    if (req.signal?.aborted) return { ...base, ...empty, status: 'CANCELLED', failureCategory: null, error: 'build cancelled' };
    if (failed) {
      // A RUN step that exits non-zero is the build's fault (FAILED, category from the exit code);
      // anything else (no exit code: engine, base image, context) is an infrastructure error.
      const isStep = failed.exitCode !== null && failed.exitCode > 0 && failed.step !== null;
      return {
        ...base,
        ...empty,
        status: isStep ? 'FAILED' : 'ERRORED',
        failureCategory: isStep ? categoryOfExitCode(failed.exitCode ?? 0) : 'infra',
        error: failed.message,
        exitCode: failed.exitCode,
        failedStep: failed.step,
      };
    }
    if (streamError || imageId === null) {
      const message = streamError?.message ?? 'the engine reported no image id';
      return { ...base, ...empty, status: 'ERRORED', failureCategory: 'infra', error: message };
    }
    try {
      const info = await docker.getImage(imageId).inspect();
      return { ...base, ...empty, status: 'PASSED', imageId, imageSizeBytes: info.Size, layerCount: info.RootFS?.Layers?.length ?? null };
    } catch (err) {
      return {
        ...base,
        ...empty,
        status: 'ERRORED',
        failureCategory: 'infra',
        error: `cannot inspect built image: ${(err as Error).message}`,
      };
    }
  }

  return { build };
}

const empty = {
  failureCategory: null,
  error: null,
  exitCode: null,
  failedStep: null,
  imageId: null,
  imageSizeBytes: null,
  layerCount: null,
} satisfies Partial<BuildResult>;
