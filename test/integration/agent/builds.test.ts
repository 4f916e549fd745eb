// The agent on the real Docker engine and Kafka: cache misses then hits, failure categories, resources.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageHygiene, generateDockerfile, imageTag, MANAGED_LABEL, POOL_LABEL, submitJobs } from '../../../ingest/agent/index.js';
import { waitFor } from '../../helpers/env.js';
import { ofFamily, setupAgentEnv, type AgentEnv } from './support.js';

describe('agent builds (real engine)', () => {
  let env: AgentEnv;
  beforeAll(async () => {
    env = await setupAgentEnv('agentb');
    await env.agent({ executor: 'exec-b1', slots: 1 }).start();
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  const submit = (combination: string) =>
    submitJobs(
      { kafka: env.kafka, schemas: env.schemas, topicPrefix: env.config.kafka.topicPrefix, logger: env.logger },
      { pool: env.pool, combination },
    );
  const finished = (jobId: string) => ofFamily(env.events, 'build').find((b) => b.job_id === jobId && b.type === 'FINISHED');

  it('builds the same combination twice: cache misses first, hits second, with layer bytes', async () => {
    const [first] = await submit('base@1;zlib@1.3.1');
    const f1 = await waitFor('first build finished', () => first && finished(first.jobId), 90_000);
    const [second] = await submit('base@1;zlib@1.3.1');
    const f2 = await waitFor('second build finished', () => second && finished(second.jobId), 90_000);
    expect(f1).toMatchObject({ status: 'PASSED', executor: 'exec-b1', failure_category: null });
    expect(f2.status).toBe('PASSED');
    expect(f1.image_size_bytes).toBeGreaterThan(0);
    expect(f1.layer_count).toBeGreaterThan(1);
    expect(f1.queue_wait_ms).not.toBeNull();

    const steps = generateDockerfile(['base@1', 'zlib@1.3.1'], {
      baseImage: env.config.docker.baseImage,
      cacheNamespace: env.namespace,
    }).steps.filter((s) => s.kind === 'layer');
    const cache = ofFamily(env.events, 'cache');
    const c1 = cache.filter((c) => c.build_id === f1.build_id);
    const c2 = cache.filter((c) => c.build_id === f2.build_id);
    expect(c1).toHaveLength(steps.length);
    expect(c2).toHaveLength(steps.length);
    expect(c1.every((c) => !c.hit)).toBe(true);
    expect(c2.every((c) => c.hit)).toBe(true);
    expect(c1.map((c) => c.layer_key).sort()).toEqual(c2.map((c) => c.layer_key).sort());
    // Each RUN step writes its payload: the layer is at least the payload size.
    for (const s of steps) expect(c1.find((c) => c.layer_key === s.layerKey)?.bytes).toBeGreaterThanOrEqual(s.layer?.payloadBytes ?? 0);
    expect(f2.duration_ms).toBeLessThan(f1.duration_ms ?? 0);
    const started = ofFamily(env.events, 'build').filter(
      (b) => b.type === 'STARTED' && (b.job_id === first?.jobId || b.job_id === second?.jobId),
    );
    expect(started).toHaveLength(2);
    const queued = ofFamily(env.events, 'build').filter((b) => b.type === 'QUEUED' && b.job_id === first?.jobId);
    expect(queued).toHaveLength(1);
  });

  it('fails a known-bad module pair with its category and reports the failed step as a miss', async () => {
    const combination = 'base@1;zlib@1.2.13;curl@8.9.1';
    const plan = generateDockerfile(combination.split(';'), { baseImage: env.config.docker.baseImage, cacheNamespace: env.namespace });
    expect(plan.failure?.pair.category).toBe('compile');
    const [job] = await submit(combination);
    const f = await waitFor('failing build finished', () => job && finished(job.jobId), 90_000);
    expect(f).toMatchObject({ status: 'FAILED', failure_category: 'compile', image_size_bytes: null });
    const cache = ofFamily(env.events, 'cache').filter((c) => c.build_id === f.build_id);
    const failedKey = plan.steps.find((s) => s.item === 'curl@8.9.1')?.layerKey;
    expect(cache.find((c) => c.layer_key === failedKey)).toMatchObject({ hit: false, bytes: 0 });
    // base@1 layers were built by the first test in this namespace: hits.
    expect(cache.filter((c) => c.hit).length).toBeGreaterThanOrEqual(2);
  });

  it('emits resource events with non-zero cpu and memory while building', async () => {
    const [job] = await submit('base@2;glibc@2.38');
    const f = await waitFor('build finished', () => job && finished(job.jobId), 90_000);
    const started = ofFamily(env.events, 'build').find((b) => b.job_id === job?.jobId && b.type === 'STARTED');
    const during = await waitFor(
      'resource events',
      () => {
        const r = ofFamily(env.events, 'resource').filter(
          (e) => e.running_builds > 0 && e.event_time >= (started?.event_time ?? 0) && e.event_time <= (f.event_time ?? 0) + 1000,
        );
        return r.length > 0 && r;
      },
      10_000,
    );
    for (const r of during) {
      expect(r.cpu_util).toBeGreaterThan(0);
      expect(r.cpu_util).toBeLessThanOrEqual(1);
      expect(r.memory_bytes).toBeGreaterThan(0);
      expect(r.memory_util).toBeGreaterThan(0);
      expect(r).toMatchObject({ executor: 'exec-b1', pool: env.pool, slots: 1 });
    }
  });

  it('prunes old images of the pool by policy, keeping the most recent', async () => {
    const hygiene = createImageHygiene({
      docker: env.docker,
      logger: env.logger,
      pool: env.pool,
      policy: { keepImagesPerPool: 1, maxBytes: 1024 ** 3, danglingAfterMs: 0 },
    });
    hygiene.recordBuilt(imageTag(env.pool, ['base@1', 'zlib@1.3.1']), 1);
    hygiene.recordBuilt(imageTag(env.pool, ['base@2', 'glibc@2.38']), 2);
    const result = await hygiene.enforce();
    expect(result.untagged).toEqual([imageTag(env.pool, ['base@1', 'zlib@1.3.1'])]);
    const left = await env.docker.listImages({ filters: { label: [`${MANAGED_LABEL}=pulse-agent`, `${POOL_LABEL}=${env.pool}`] } });
    expect(left.flatMap((i) => i.RepoTags ?? [])).toEqual([imageTag(env.pool, ['base@2', 'glibc@2.38'])]);
  });
});
