/**
 * A flush that outlasts the consumer-group session timeout (slow ClickHouse under machine load) must
 * neither get the processor evicted for good nor lose or duplicate events: it keeps heartbeating,
 * re-joins if it must, and catches up from committed offsets and checkpoints.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../common/metrics.js';
import { sleep } from '../../../common/retry.js';
import { createSchemaSet } from '../../../ingest/index.js';
import { startFeatureProcessor, type ProcessorHandle } from '../../../processors/index.js';
import { ident, sql, type ClickHouseClient } from '../../../sinks/index.js';
import { isolatedConfig } from '../../helpers/env.js';
import { generateFleet, produce } from './support/fleet-events.js';
import { countsByTopic, rows, setupEnv, waitCaughtUp, type Env } from './support/harness.js';

const SESSION_TIMEOUT_MS = 6_000;

describe('feature processor with flushes slower than the session timeout', () => {
  let env: Env;
  let handle: ProcessorHandle | undefined;
  let slowed = 0;

  beforeAll(async () => {
    env = await setupEnv(
      isolatedConfig(undefined, {
        'processor.flushIntervalMs': 1_000,
        'processor.maxBufferedEvents': 50,
        'processor.sessionTimeoutMs': SESSION_TIMEOUT_MS,
      }),
    );
  });

  afterAll(async () => {
    await handle?.stop();
    await env?.cleanup();
  });

  it('keeps consuming and applies every event exactly once', async () => {
    const { messages } = generateFleet({
      seed: 7,
      startMs: Date.UTC(2026, 0, 5, 10),
      minutes: 6,
      pools: ['p1', 'p2'],
      executorsPerPool: 2,
      buildsPerMinutePerPool: 4,
    });
    const half = Math.floor(messages.length / 2);
    await produce(env.kafka, env.config.kafka.topicPrefix, createSchemaSet(), messages.slice(0, half));
    // The first (up to) two checkpoint writes take longer than the session timeout.
    const slow = new Proxy(env.ch, {
      get(target, prop, receiver) {
        if (prop !== 'insert') return Reflect.get(target, prop, receiver) as unknown;
        return async (params: Parameters<ClickHouseClient['insert']>[0]) => {
          if (String(params.table).includes('processor_checkpoints') && slowed < 2) {
            slowed++;
            await sleep(SESSION_TIMEOUT_MS + 2_000);
          }
          return target.insert(params);
        };
      },
    });
    const logLines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    handle = await startFeatureProcessor({
      config: env.config,
      logger: pino({ level: 'warn' }, sink),
      metrics: createMetrics({ defaultMetrics: false }),
      clickhouse: slow,
    });
    await produce(env.kafka, env.config.kafka.topicPrefix, createSchemaSet(), messages.slice(half));
    await waitCaughtUp(
      env.ch,
      env.config.clickhouse.database,
      env.config.processor.groupId,
      countsByTopic(env.config.kafka.topicPrefix, messages),
    );
    expect(slowed).toBeGreaterThanOrEqual(1);
    const builds = messages.filter((m) => m.family === 'build').length;
    const [r] = await rows<{ n: string }>(
      env.ch,
      sql`SELECT count() AS n FROM ${ident(`${env.config.clickhouse.database}.build_events`)} FINAL`,
    );
    expect(Number(r?.n)).toBe(builds);
    // Heartbeats kept the member in the group: never evicted, every commit accepted.
    expect(logLines.filter((l) => /not aware of this member|offset commit failed/.test(l))).toEqual([]);
  });
});
