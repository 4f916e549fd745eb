/**
 * The demo's process supervision with real `pulse` processes: a part that is asked to stop exits
 * cleanly and is not a crash; a part that exits on its own is a crash (the demo then fails loudly);
 * a one-shot task that fails throws with the part's log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StackError } from '../../common/errors.js';
import { createLogger } from '../../common/logger.js';
import { topicNames } from '../../common/topics.js';
import { aliveFor } from '../../deploy/demo/probes.js';
import { createSession } from '../../deploy/demo/session.js';
import { createKafka, ensureTopics } from '../../sinks/index.js';
import { isolatedConfig, uniqueName } from '../helpers/env.js';

const name = uniqueName('e2e_demo');
const config = isolatedConfig(name);
const logger = createLogger({ level: 'warn' });
const logDir = mkdtempSync(join(tmpdir(), 'pulse-demo-parts-'));
const env = { ...process.env, PULSE_TOPIC_PREFIX: name, PULSE_TOPIC_PARTITIONS: '1', PULSE_LOG_LEVEL: 'warn' };
const simulate = (seconds: number): string[] => [
  'simulate',
  '--pools',
  '1',
  '--executors-per-pool',
  '1',
  '--rate',
  '2',
  '--duration',
  String(seconds),
];

afterAll(async () => {
  const admin = createKafka(config, logger, 'e2e-cleanup').admin();
  await admin.connect();
  await admin.deleteTopics({ topics: Object.values(topicNames(name)) }).catch(() => undefined);
  await admin.disconnect();
  rmSync(logDir, { recursive: true, force: true });
});

describe('demo session', () => {
  it('stops a running part cleanly without calling it a crash', async () => {
    await ensureTopics(createKafka(config, logger, 'e2e'), { prefix: name, partitions: 1, replicationFactor: 1 });
    const lines: string[] = [];
    const session = createSession({ logDir, env, progress: (m) => lines.push(m) });
    const child = await session.service('sim', simulate(600), aliveFor(2000));
    expect(child.running()).toBe(true);
    await session.stopAll();
    expect(child.running()).toBe(false);
    expect(session.crash()).toBeUndefined();
    expect(lines.some((l) => l.includes('sim ready'))).toBe(true);
    await expect(session.service('late', simulate(1), aliveFor(10))).rejects.toThrow(/stopping/);
  });

  it('reports a part that exits on its own as a crash', async () => {
    const session = createSession({ logDir, env, progress: () => undefined });
    await session.service('short', simulate(1), aliveFor(10));
    const exit = await session.crashed;
    expect(exit.name).toBe('short');
    expect(exit.code).toBe(0);
    expect(exit.expected).toBe(false);
    await session.stopAll();
  });

  it('fails a one-shot task that exits non-zero, with its log', async () => {
    const session = createSession({ logDir, env, progress: () => undefined });
    const err = await session.task('bad', ['simulate', '--rate', 'fast']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StackError);
    expect((err as StackError).message).toMatch(/part "bad" exited with code 2/);
    expect((err as StackError).message).toMatch(/--rate/);
    expect(session.crash()?.name).toBe('bad');
    await session.stopAll();
  });
});
