// Directives on the real Kafka: scaling applied within seconds and acked, expired/malformed rejected,
// cache-warm pre-builds a combination so that the next real build of it is all cache hits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../ingest/agent/index.js';
import { submitJobs } from '../../../ingest/agent/index.js';
import type { Directive } from '../../../ingest/index.js';
import { topicNames } from '../../../common/topics.js';
import { waitFor } from '../../helpers/env.js';
import { ofFamily, setupAgentEnv, type AgentEnv } from './support.js';

describe('agent directives (real Kafka and engine)', () => {
  let env: AgentEnv;
  let agent: Agent;
  let seq = 0;
  beforeAll(async () => {
    env = await setupAgentEnv('agentd');
    agent = env.agent({ executor: 'exec-d1', slots: 1, maxSlots: 8 });
    await agent.start();
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  const directive = (over: Partial<Directive>): Directive => {
    const now = Date.now();
    const id = `dir-${++seq}-${now}`;
    return {
      event_id: id,
      event_time: now,
      producer_id: 'test-engine',
      seq,
      directive_id: id,
      pool: env.pool,
      kind: 'SCALING',
      issued_at: now,
      valid_until: now + 60_000,
      reason: { queue_wait_p95_ms: 120_000 },
      reason_text: 'test',
      desired_slots: 3,
      warm: [],
      ...over,
    };
  };
  const ackOf = (id: string) => ofFamily(env.events, 'directive-ack').find((a) => a.directive_id === id);

  it('applies a scaling directive within seconds and acknowledges it APPLIED', async () => {
    expect(agent.status().slots).toBe(1);
    const d = directive({ desired_slots: 3 });
    const sent = Date.now();
    await env.producer.send('directive', d);
    await waitFor('slot count changed', () => agent.status().slots === 3, 10_000, 50);
    const appliedAfterMs = Date.now() - sent;
    expect(appliedAfterMs).toBeLessThan(10_000);
    const ack = await waitFor('ack', () => ackOf(d.directive_id), 10_000);
    expect(ack).toMatchObject({ status: 'APPLIED', executor: 'exec-d1', pool: env.pool });
    expect(ack.reason).toContain('slots set to 3');
  });

  it('rejects an expired directive with the reason and leaves the slots alone', async () => {
    const now = Date.now();
    const d = directive({ desired_slots: 6, issued_at: now - 120_000, valid_until: now - 60_000 });
    await env.producer.send('directive', d);
    const ack = await waitFor('ack', () => ackOf(d.directive_id), 10_000);
    expect(ack.status).toBe('REJECTED');
    expect(ack.reason).toMatch(/^expired: valid_until/);
    expect(agent.status().slots).toBe(3);
  });

  it('rejects malformed directives: undecodable bytes and out-of-range slots', async () => {
    const bad = directive({ desired_slots: 9 });
    await env.producer.send('directive', bad);
    const p = env.kafka.producer();
    await p.connect();
    const topic = topicNames(env.config.kafka.topicPrefix)['directives.scaling'];
    const [meta] = await p.send({ topic, messages: [{ key: env.pool, value: Buffer.from('{"desired_slots": 5}') }] });
    await p.disconnect();
    const undecodableId = `undecodable:${topic}:${meta?.partition}:${meta?.baseOffset}`;
    const ackBad = await waitFor('ack of out-of-range', () => ackOf(bad.directive_id), 10_000);
    expect(ackBad).toMatchObject({ status: 'REJECTED' });
    expect(ackBad.reason).toMatch(/^desired_slots: 9 is not an integer in \[0, 8\]/);
    const ackRaw = await waitFor('ack of undecodable', () => ackOf(undecodableId), 10_000);
    expect(ackRaw.status).toBe('REJECTED');
    expect(ackRaw.reason).toMatch(/^malformed:/);
    expect(agent.status().slots).toBe(3);
  });

  it('warms a combination in an idle slot so that the next build of it is all cache hits', async () => {
    const combination = ['base@3', 'zlib@1.3.1'];
    const d = directive({ kind: 'CACHE_WARM', desired_slots: null, warm: [{ combination, expected_saving_ms: 5000 }] });
    await env.producer.send('directive', d);
    expect((await waitFor('ack', () => ackOf(d.directive_id), 10_000)).status).toBe('APPLIED');
    const warmed = await waitFor('warm build', () => agent.status().warm.find((w) => w.directiveId === d.directive_id), 90_000);
    expect(warmed).toMatchObject({ status: 'PASSED', hits: 0 });
    expect(warmed.misses).toBeGreaterThan(0);
    const warmCache = ofFamily(env.events, 'cache').filter((c) => c.build_id === null);
    expect(warmCache.length).toBeGreaterThanOrEqual(warmed.misses);

    const [job] = await submitJobs(
      { kafka: env.kafka, schemas: env.schemas, topicPrefix: env.config.kafka.topicPrefix, logger: env.logger },
      { pool: env.pool, combination },
    );
    const f = await waitFor(
      'job finished',
      () => ofFamily(env.events, 'build').find((b) => b.job_id === job?.jobId && b.type === 'FINISHED'),
      60_000,
    );
    expect(f.status).toBe('PASSED');
    const cache = ofFamily(env.events, 'cache').filter((c) => c.build_id === f.build_id);
    expect(cache.length).toBe(warmed.misses + warmed.hits);
    expect(cache.every((c) => c.hit)).toBe(true);
  });
});
