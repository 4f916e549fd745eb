/**
 * Runs one build (a job, or a cache-warm pre-build) on the build driver and turns what the engine did
 * into events: build STARTED/FINISHED (jobs only; the submitter emitted QUEUED) and one cache event per
 * build step — hit when the engine reused the layer, miss otherwise (including the step that failed),
 * with the layer's bytes and the step's latency. Warm pre-builds emit cache events without a build id.
 */
import { ValidationError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import type { BuildEvent, BuildJob, CacheEvent } from '../contracts/types.js';
import type { EventProducer } from '../producer/index.js';
import type { BuildDriver, BuildResult, StepResult } from './build-driver.js';
import { generateDockerfile, POOL_LABEL, type DockerfilePlan } from './dockerfile.js';
import type { EnvelopeFactory } from './envelope.js';
import { imageTag, type ImageHygiene } from './hygiene.js';

/** Where events go: the event producer's send. */
export type EventSink = Pick<EventProducer, 'send'>;

/** Build id of a job: deterministic, so the submitter's QUEUED and the agent's events share it. */
export function buildIdOf(jobId: string): string {
  return `b-${jobId}`;
}

/** Dependencies of {@link createJobRunner}. */
export interface JobRunnerDeps {
  driver: BuildDriver;
  sink: EventSink;
  envelopes: EnvelopeFactory;
  hygiene: ImageHygiene | null;
  logger: Logger;
  metrics: Metrics;
  clock: () => number;
  pool: string;
  executor: string;
  baseImage: string;
  cacheNamespace?: string;
  buildTimeoutMs: number;
}

/** What a finished job looked like. */
export interface JobOutcome {
  jobId: string;
  buildId: string;
  status: BuildResult['status'];
  failureCategory: string | null;
  durationMs: number;
  cacheHits: number;
  cacheMisses: number;
}

/** Runs jobs and warm builds. */
export interface JobRunner {
  runJob(job: BuildJob, signal?: AbortSignal): Promise<JobOutcome>;
  /** Pre-builds a combination's layers (cache warming); resolves with the build's result. */
  warm(combination: readonly string[], signal?: AbortSignal): Promise<BuildResult>;
}

/** Creates the job runner of an agent. */
export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const { driver, sink, envelopes, pool, executor, clock } = deps;
  const log = deps.logger.child({ component: 'job-runner' });
  const mBuilds = deps.metrics.counter('agent_builds_total', 'builds finished by status', ['status', 'kind']);
  const mDuration = deps.metrics.histogram(
    'agent_build_duration_seconds',
    'build duration',
    ['kind'],
    [0.5, 1, 2, 5, 10, 20, 40, 80, 160, 320],
  );
  const mSteps = deps.metrics.counter('agent_build_steps_total', 'build steps by cache outcome', ['cache']);

  const plan = (combination: readonly string[]): DockerfilePlan =>
    generateDockerfile(combination, { baseImage: deps.baseImage, ...(deps.cacheNamespace ? { cacheNamespace: deps.cacheNamespace } : {}) });

  const cacheEvent = (
    buildId: string | null,
    eventId: string,
    layerKey: string,
    hit: boolean,
    bytes: number,
    latencyMs: number,
  ): CacheEvent => ({
    ...envelopes.next(eventId),
    executor,
    pool,
    build_id: buildId,
    layer_key: layerKey,
    hit,
    bytes,
    latency_ms: latencyMs,
    tier: 'LOCAL',
  });

  /** Cache events for the module layer steps (FROM/LABEL bookkeeping steps are no cache lookups of a layer). */
  async function runBuild(kind: 'job' | 'warm', p: DockerfilePlan, buildId: string | null, eventBase: string, signal?: AbortSignal) {
    const sends: Promise<void>[] = [];
    let hits = 0;
    let misses = 0;
    const onStep = (s: StepResult): void => {
      mSteps.inc({ cache: s.cached ? 'hit' : 'miss' });
      if (s.planned?.kind !== 'layer' || !s.planned.layerKey) return;
      if (s.cached) hits += 1;
      else misses += 1;
      sends.push(
        sink.send('cache', cacheEvent(buildId, `${eventBase}:step:${s.number}`, s.planned.layerKey, s.cached, s.bytes, s.latencyMs)),
      );
    };
    const result = await driver.build({
      plan: p,
      tag: imageTag(pool, p.combination),
      labels: { [POOL_LABEL]: pool },
      timeoutMs: deps.buildTimeoutMs,
      onStep,
      onOutput: (text) => log.debug({ buildId, kind }, text),
      ...(signal ? { signal } : {}),
    });
    const failedStep = result.failedStep === null ? undefined : p.steps[result.failedStep - 1];
    if (failedStep?.kind === 'layer' && failedStep.layerKey) {
      misses += 1;
      const latency = Math.max(0, result.durationMs - result.steps.reduce((s, x) => s + x.latencyMs, 0));
      sends.push(sink.send('cache', cacheEvent(buildId, `${eventBase}:step:${failedStep.number}`, failedStep.layerKey, false, 0, latency)));
    }
    await Promise.all(sends);
    mBuilds.inc({ status: result.status, kind });
    mDuration.observe({ kind }, result.durationMs / 1000);
    if (result.status === 'PASSED' && deps.hygiene) deps.hygiene.recordBuilt(imageTag(pool, p.combination), clock());
    return { result, hits, misses };
  }

  const buildEvent = (job: BuildJob, buildId: string, type: BuildEvent['type'], extra: Partial<BuildEvent>): BuildEvent => ({
    ...envelopes.next(`${buildId}:${type.toLowerCase()}`),
    type,
    build_id: buildId,
    job_id: job.job_id,
    pool: job.pool,
    executor,
    arch: job.arch,
    combination: [...job.combination],
    queue_wait_ms: null,
    duration_ms: null,
    status: null,
    failure_category: null,
    image_size_bytes: null,
    layer_count: null,
    sbom_generation_ms: null,
    features: {},
    ...extra,
  });

  return {
    async runJob(job, signal) {
      const buildId = buildIdOf(job.job_id);
      const startedAt = clock();
      const queueWait = Math.max(0, startedAt - job.event_time);
      let p: DockerfilePlan | null = null;
      let invalid: string | null = null;
      try {
        p = plan(job.combination);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        invalid = err.message;
      }
      const features: Record<string, number> = p
        ? { layer_steps: p.steps.filter((s) => s.kind === 'layer').length, modules: job.combination.length }
        : {};
      await sink.send('build', buildEvent(job, buildId, 'STARTED', { queue_wait_ms: queueWait, features }));
      log.info({ jobId: job.job_id, combination: job.combination.join(';'), queueWaitMs: queueWait }, 'build started');

      if (!p) {
        // A combination the catalogue cannot resolve fails like a missing dependency would.
        log.warn({ jobId: job.job_id, reason: invalid }, 'job has an unbuildable combination');
        await sink.send(
          'build',
          buildEvent(job, buildId, 'FINISHED', {
            queue_wait_ms: queueWait,
            duration_ms: 0,
            status: 'FAILED',
            failure_category: 'dependency',
            features,
          }),
        );
        mBuilds.inc({ status: 'FAILED', kind: 'job' });
        return { jobId: job.job_id, buildId, status: 'FAILED', failureCategory: 'dependency', durationMs: 0, cacheHits: 0, cacheMisses: 0 };
      }

      const { result, hits, misses } = await runBuild('job', p, buildId, buildId, signal);
      await sink.send(
        'build',
        buildEvent(job, buildId, 'FINISHED', {
          queue_wait_ms: queueWait,
          duration_ms: result.durationMs,
          status: result.status,
          failure_category: result.failureCategory,
          image_size_bytes: result.imageSizeBytes,
          layer_count: result.layerCount,
          features,
        }),
      );
      log.info(
        {
          jobId: job.job_id,
          status: result.status,
          category: result.failureCategory,
          durationMs: result.durationMs,
          hits,
          misses,
          error: result.error ?? undefined,
        },
        'build finished',
      );
      return {
        jobId: job.job_id,
        buildId,
        status: result.status,
        failureCategory: result.failureCategory,
        durationMs: result.durationMs,
        cacheHits: hits,
        cacheMisses: misses,
      };
    },

    async warm(combination, signal) {
      const p = plan(combination);
      const { result } = await runBuild('warm', p, null, `warm:${executor}:${clock().toString(36)}:${p.combination.join(';')}`, signal);
      return result;
    },
  };
}
