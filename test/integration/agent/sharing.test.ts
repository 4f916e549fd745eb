// Two agents of one pool share the job queue (one consumer group) without building any job twice,
// and jobs of another pool on the same topic are left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobSubmitter, submitJobs, type SubmittedJob } from '../../../ingest/agent/index.js';
import { waitFor } from '../../helpers/env.js';
import { ofFamily, setupAgentEnv, type AgentEnv } from './support.js';

describe('two agents in one pool (real Kafka and engine)', () => {
  let env: AgentEnv;
  beforeAll(async () => {
    env = await setupAgentEnv('agents');
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  it('splits the partitions and builds every job exactly once, also when an agent joins mid-queue', async () => {
    const a = env.agent({ executor: 'exec-s1', slots: 1 });
    const b = env.agent({ executor: 'exec-s2', slots: 1 });
    await a.start();
    await waitFor('first agent assigned', () => a.status().assigned.length === 3, 60_000);
    const deps = { kafka: env.kafka, schemas: env.schemas, topicPrefix: env.config.kafka.topicPrefix, logger: env.logger };
    const combos = ['base@1;zlib@1.2.13', 'base@1;zlib@1.3.1', 'base@2;zlib@1.2.13', 'base@3;zlib@1.3.1', 'base@1', 'base@2'];
    const jobs: SubmittedJob[] = [];
    // One submitter places jobs round-robin over the partitions (each new submitter starts at a random one).
    const submitter = createJobSubmitter(deps);
    try {
      for (const combination of combos) jobs.push(...(await submitter.submit({ pool: env.pool, combination })));
    } finally {
      await submitter.close();
    }
    const other = await submitJobs(deps, { pool: `${env.pool}-other`, combination: 'base@1', count: 2 });
    expect(new Set(jobs.map((j) => j.partition)).size).toBe(3);
    // The second agent joins while the first is building: the group rebalances only after the
    // first agent's running build finished and was committed.
    await waitFor(
      'first build started',
      () => ofFamily(env.events, 'build').some((e) => e.type === 'STARTED' && e.executor === 'exec-s1'),
      60_000,
    );
    await b.start();

    const ids = new Set(jobs.map((j) => j.jobId));
    const builds = () => ofFamily(env.events, 'build').filter((e) => ids.has(e.job_id));
    await waitFor('all jobs finished', () => builds().filter((e) => e.type === 'FINISHED').length >= jobs.length, 120_000);
    // Give a duplicate (if any) time to show up before asserting it does not.
    await new Promise((r) => setTimeout(r, 1500));
    for (const type of ['STARTED', 'FINISHED'] as const) {
      const perJob = new Map<string, number>();
      for (const e of builds().filter((x) => x.type === type)) perJob.set(e.job_id, (perJob.get(e.job_id) ?? 0) + 1);
      expect([...perJob.values()].every((n) => n === 1)).toBe(true);
      expect(perJob.size).toBe(jobs.length);
    }
    const byExecutor = new Map<string, number>();
    for (const e of builds().filter((x) => x.type === 'FINISHED'))
      byExecutor.set(e.executor ?? '', (byExecutor.get(e.executor ?? '') ?? 0) + 1);
    expect(byExecutor.get('exec-s1')).toBeGreaterThan(0);
    expect(byExecutor.get('exec-s2')).toBeGreaterThan(0);
    expect(
      builds()
        .filter((e) => e.type === 'FINISHED')
        .every((e) => e.status === 'PASSED'),
    ).toBe(true);
    const otherIds = new Set(other.map((j) => j.jobId));
    expect(ofFamily(env.events, 'build').filter((e) => otherIds.has(e.job_id) && e.type !== 'QUEUED')).toHaveLength(0);
  });
});
