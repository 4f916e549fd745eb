// Job runner with a fake build driver and event sink (our own interfaces): events per build and step.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/logger.js';
import { createMetrics } from '../../../common/metrics.js';
import type { BuildDriver, BuildRequest, BuildResult } from '../../../ingest/agent/build-driver.js';
import { createEnvelopeFactory } from '../../../ingest/agent/envelope.js';
import { buildIdOf, createJobRunner, type EventSink } from '../../../ingest/agent/job-runner.js';
import type { BuildJob, FamilyTypes, Family } from '../../../ingest/contracts/types.js';

const job = (combination: string[]): BuildJob => ({
  event_id: 'j',
  event_time: 1_000,
  producer_id: 'test',
  seq: 0,
  job_id: 'job-1',
  pool: 'p1',
  arch: 'amd64',
  combination,
  priority: 0,
  submitted_by: 'test',
});

function setup(result: (req: BuildRequest) => BuildResult) {
  const sent: { family: Family; value: FamilyTypes[Family] }[] = [];
  const sink: EventSink = {
    send: (family, value) => {
      sent.push({ family, value });
      return Promise.resolve();
    },
  };
  const requests: BuildRequest[] = [];
  const driver: BuildDriver = {
    build: (req) => {
      requests.push(req);
      const r = result(req);
      for (const s of r.steps) req.onStep?.(s);
      return Promise.resolve(r);
    },
  };
  const clock = () => 5_000;
  const runner = createJobRunner({
    driver,
    sink,
    envelopes: createEnvelopeFactory('exec-1', clock),
    hygiene: null,
    logger: silentLogger(),
    metrics: createMetrics({ defaultMetrics: false }),
    clock,
    pool: 'p1',
    executor: 'exec-1',
    baseImage: 'pulse/base:1',
    buildTimeoutMs: 60_000,
  });
  const of = <F extends Family>(f: F) => sent.filter((e) => e.family === f).map((e) => e.value as FamilyTypes[F]);
  return { runner, requests, of };
}

const base: Omit<BuildResult, 'steps' | 'status'> = {
  failureCategory: null,
  error: null,
  exitCode: null,
  failedStep: null,
  imageId: 'abc',
  imageSizeBytes: 2_000_000,
  layerCount: 5,
  durationMs: 1500,
};

describe('job runner', () => {
  it('emits STARTED, one cache event per layer step (not for FROM/LABEL), and FINISHED with the result', async () => {
    const { runner, requests, of } = setup((req) => ({
      ...base,
      status: 'PASSED',
      steps: req.plan.steps.map((p) => ({
        number: p.number,
        planned: p,
        cached: p.number % 2 === 0,
        imageId: `i${p.number}`,
        bytes: p.kind === 'layer' ? 4096 : 0,
        latencyMs: 7,
      })),
    }));
    const outcome = await runner.runJob(job(['base@1', 'zlib@1.3.1']));
    const plan = requests[0]?.plan;
    const layerSteps = plan?.steps.filter((s) => s.kind === 'layer') ?? [];
    expect(requests[0]?.labels).toEqual({ 'dev.factorypulse.pool': 'p1' });
    const builds = of('build');
    expect(builds.map((b) => b.type)).toEqual(['STARTED', 'FINISHED']);
    expect(builds[0]).toMatchObject({
      build_id: buildIdOf('job-1'),
      executor: 'exec-1',
      queue_wait_ms: 4_000,
      event_id: 'b-job-1:started',
    });
    expect(builds[1]).toMatchObject({
      status: 'PASSED',
      duration_ms: 1500,
      image_size_bytes: 2_000_000,
      layer_count: 5,
      failure_category: null,
    });
    const cache = of('cache');
    expect(cache.map((c) => c.layer_key)).toEqual(layerSteps.map((s) => s.layerKey));
    expect(cache.map((c) => c.hit)).toEqual(layerSteps.map((s) => s.number % 2 === 0));
    expect(cache.every((c) => c.bytes === 4096 && c.build_id === 'b-job-1' && c.tier === 'LOCAL')).toBe(true);
    expect(outcome).toMatchObject({
      status: 'PASSED',
      cacheHits: cache.filter((c) => c.hit).length,
      cacheMisses: cache.filter((c) => !c.hit).length,
    });
    const seqs = [...builds, ...cache].map((e) => e.seq).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('reports the step that failed as a miss and FINISHED FAILED with the category', async () => {
    const { runner, of } = setup((req) => {
      const failing = req.plan.steps.find((s) => s.item === 'curl@8.9.1');
      const before = req.plan.steps.filter((s) => s.number < (failing?.number ?? 0));
      return {
        ...base,
        imageId: null,
        imageSizeBytes: null,
        layerCount: null,
        status: 'FAILED',
        failureCategory: 'compile',
        exitCode: 21,
        failedStep: failing?.number ?? null,
        steps: before.map((p) => ({ number: p.number, planned: p, cached: true, imageId: 'x', bytes: 10, latencyMs: 1 })),
      };
    });
    const outcome = await runner.runJob(job(['base@1', 'zlib@1.2.13', 'curl@8.9.1']));
    expect(of('build')[1]).toMatchObject({ type: 'FINISHED', status: 'FAILED', failure_category: 'compile', image_size_bytes: null });
    const last = of('cache').at(-1);
    expect(last).toMatchObject({ hit: false, bytes: 0 });
    expect(outcome).toMatchObject({ status: 'FAILED', failureCategory: 'compile', cacheMisses: 1 });
  });

  it('fails a job whose combination the catalogue cannot resolve without building', async () => {
    const { runner, requests, of } = setup(() => {
      throw new Error('must not build');
    });
    const outcome = await runner.runJob(job(['base@1', 'cobol@85']));
    expect(requests).toHaveLength(0);
    expect(of('build').map((b) => [b.type, b.status, b.failure_category])).toEqual([
      ['STARTED', null, null],
      ['FINISHED', 'FAILED', 'dependency'],
    ]);
    expect(outcome.status).toBe('FAILED');
  });

  it('emits warm-build cache events without a build id and no build events', async () => {
    const { runner, of } = setup((req) => ({
      ...base,
      status: 'PASSED',
      steps: req.plan.steps.map((p) => ({ number: p.number, planned: p, cached: false, imageId: 'x', bytes: 1, latencyMs: 1 })),
    }));
    const r = await runner.warm(['base@2']);
    expect(r.status).toBe('PASSED');
    expect(of('build')).toHaveLength(0);
    expect(of('cache').length).toBeGreaterThan(0);
    expect(of('cache').every((c) => c.build_id === null && !c.hit)).toBe(true);
  });
});
