/**
 * Exactly-once effect: `pulse process` children SIGKILLed at random points of the stream (one
 * instance restarted three times; two instances in one group with one killed for good) end with
 * exactly the same feature rows as a crash-free in-process run over the same topics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../common/metrics.js';
import { createSchemaSet } from '../../../ingest/index.js';
import { startFeatureProcessor, type ProcessorHandle } from '../../../processors/index.js';
import { applySchema, ident, sql } from '../../../sinks/index.js';
import { isolatedConfig, uniqueName } from '../../helpers/env.js';
import { killHard, spawnProcessor, type Child } from './support/child.js';
import { generateFleet, produce, type GenResult } from './support/fleet-events.js';
import { countsByTopic, featureSnapshot, rows, setupEnv, waitCaughtUp, type Env } from './support/harness.js';
import type { Config } from '../../../common/config.js';

const START = Date.UTC(2026, 0, 6, 8, 0, 0);
const OVERRIDES = { 'processor.flushIntervalMs': 500 };

async function progress(env: Env, config: Config, groupId: string): Promise<number> {
  const [r] = await rows<{ n: string }>(
    env.ch,
    sql`SELECT sum(next_offset) AS n FROM ${ident(`${config.clickhouse.database}.processor_checkpoints`)} FINAL WHERE group_id = ${groupId}`,
  );
  return Number(r?.n ?? 0);
}

async function untilProgress(env: Env, config: Config, groupId: string, target: number, deadline: number): Promise<number> {
  for (;;) {
    const p = await progress(env, config, groupId);
    if (p >= target || Date.now() > deadline) return p;
    await new Promise((res) => setTimeout(res, 100));
  }
}

describe('crash recovery of pulse process (SIGKILL)', () => {
  let env: Env;
  let gen: GenResult;
  let total = 0;
  let expected: Map<string, number>;
  let reference: Record<string, unknown[]>;
  const children: Child[] = [];
  const extraDbs: Config[] = [];
  let handle: ProcessorHandle | undefined;
  let producing: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    env = await setupEnv(isolatedConfig(undefined, OVERRIDES));
    gen = generateFleet({
      seed: 11,
      startMs: START,
      minutes: 14,
      pools: ['p-a', 'p-b', 'p-c', 'p-d'],
      executorsPerPool: 2,
      buildsPerMinutePerPool: 4,
      disorderMs: 2000,
    });
    total = gen.messages.length;
    expected = countsByTopic(env.config.kafka.topicPrefix, gen.messages);
    // Paced production so the children are killed while events keep arriving.
    producing = produce(env.kafka, env.config.kafka.topicPrefix, createSchemaSet(), gen.messages, { batch: 100, pauseMs: 1200 });
    handle = await startFeatureProcessor({ config: env.config, logger: env.logger, metrics: createMetrics({ defaultMetrics: false }) });
  });

  afterAll(async () => {
    for (const c of children) await killHard(c);
    await handle?.stop();
    await Promise.all(extraDbs.map((c) => env.ch.command({ query: `DROP DATABASE IF EXISTS ${ident(c.clickhouse.database).text}` })));
    await env?.cleanup();
  });

  /** A second database reading the same topics. */
  async function sibling(): Promise<Config> {
    const config = isolatedConfig(uniqueName('crash'), {
      ...OVERRIDES,
      'processor.sessionTimeoutMs': 6000,
      'kafka.topicPrefix': env.config.kafka.topicPrefix,
    });
    await applySchema(config, env.logger);
    extraDbs.push(config);
    return config;
  }

  async function referenceSnapshot(): Promise<Record<string, unknown[]>> {
    if (!reference) {
      await producing;
      await waitCaughtUp(env.ch, env.config.clickhouse.database, env.config.processor.groupId, expected);
      reference = await featureSnapshot(env.ch, env.config.clickhouse.database);
    }
    return reference;
  }

  it('one instance killed three times at random points ends with identical feature rows', async () => {
    const config = await sibling();
    const group = `${config.clickhouse.database}-g`;
    const kills: { atProgress: number; target: number }[] = [];
    for (const fraction of [0.1 + Math.random() * 0.15, 0.35 + Math.random() * 0.2, 0.65 + Math.random() * 0.2]) {
      const child = spawnProcessor(config, group);
      children.push(child);
      const target = Math.floor(total * fraction);
      await untilProgress(env, config, group, target, Date.now() + 60_000);
      await new Promise((res) => setTimeout(res, Math.random() * 300));
      const at = await progress(env, config, group);
      await killHard(child);
      kills.push({ atProgress: at, target });
    }
    const last = spawnProcessor(config, group);
    children.push(last);
    await producing;
    await waitCaughtUp(env.ch, config.clickhouse.database, group, expected, 120_000);
    await killHard(last);
    expect(kills.filter((k) => k.atProgress > 0 && k.atProgress < total).length, JSON.stringify(kills)).toBeGreaterThanOrEqual(2);
    expect(await featureSnapshot(env.ch, config.clickhouse.database)).toEqual(await referenceSnapshot());
  }, 300_000);

  it('two instances in one group, one killed for good, end with identical feature rows', async () => {
    const config = await sibling();
    const group = `${config.clickhouse.database}-g`;
    const a = spawnProcessor(config, group);
    const b = spawnProcessor(config, group);
    children.push(a, b);
    await untilProgress(env, config, group, Math.floor(total * 0.3), Date.now() + 60_000);
    await killHard(a);
    await waitCaughtUp(env.ch, config.clickhouse.database, group, expected, 120_000);
    await killHard(b);
    expect(await featureSnapshot(env.ch, config.clickhouse.database)).toEqual(await referenceSnapshot());
    const [r] = await rows<{ n: string }>(
      env.ch,
      sql`SELECT count() AS n FROM ${ident(`${config.clickhouse.database}.build_events`)} FINAL`,
    );
    expect(Number(r?.n)).toBe(gen.messages.filter((m) => m.family === 'build').length);
  }, 300_000);
});
