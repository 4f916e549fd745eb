import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutput } from '../../../common/cli/output.js';
import { createLogger } from '../../../common/logger.js';
import { createMetrics } from '../../../common/metrics.js';
import { topicNames } from '../../../common/topics.js';
import type { GroundTruth } from '../../../ingest/index.js';
import { runSimulate } from '../../../ingest/simulator/run.js';
import { createKafka } from '../../../sinks/index.js';
import { isolatedConfig, waitFor } from '../../helpers/env.js';
import { collect, createTopics, deleteTopics } from './kafka-helpers.js';

const config = isolatedConfig();
const logger = createLogger({ level: 'warn' });
const kafka = createKafka(config, logger, 'sim-it');
const truthFile = join(tmpdir(), `pulse-truth-${config.kafka.topicPrefix}.json`);

describe('simulator → Kafka → consumer', () => {
  beforeAll(async () => {
    await createTopics(kafka, config);
  });
  afterAll(async () => {
    await deleteTopics(kafka, config);
    await rm(truthFile, { force: true });
  });

  it('every message decodes and the counts per topic match the report and the ground truth', async () => {
    const report = await runSimulate(
      { config, logger, metrics: createMetrics({ defaultMetrics: false }), kafka, output: createOutput({ quiet: true }) },
      { pools: 3, executorsPerPool: 4, rate: 2000, duration: 2, seed: 11, anomalies: true, truth: truthFile },
    );
    expect(report.events).toBeGreaterThanOrEqual(4000);
    const truth = JSON.parse(await readFile(truthFile, 'utf8')) as GroundTruth;
    const names = topicNames(config.kafka.topicPrefix);
    expect(Object.values(report.topics).reduce((a, b) => a + b, 0)).toBe(report.events);
    expect(truth.total).toBe(report.events);
    for (const [id, n] of Object.entries(truth.topics)) expect(report.topics[names[id as keyof typeof names]]).toBe(n);

    const eventTopics = (['events.build', 'events.cache', 'events.resource', 'events.test', 'events.sbom'] as const).map((id) => names[id]);
    const c = await collect(kafka, eventTopics);
    try {
      await waitFor('all simulated messages', () => c.received.length + c.errors.length >= report.events, 90_000);
      // Nothing more arrives than was sent.
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await c.stop();
    }
    expect(c.errors).toEqual([]);
    expect(c.received.length).toBe(report.events);
    const perTopic: Record<string, number> = {};
    for (const r of c.received) perTopic[r.topic] = (perTopic[r.topic] ?? 0) + 1;
    expect(perTopic).toEqual(report.topics);
    expect(c.received.every((r) => r.keyMatches)).toBe(true);
    expect(new Set(c.received.map((r) => r.event.value.event_id)).size).toBe(report.events);
    const finished = c.received.filter((r) => r.event.family === 'build' && r.event.value.type === 'FINISHED').length;
    expect(truth.buildsPerMinute.reduce((s, m) => s + m.finished, 0)).toBe(finished);
  });
});
