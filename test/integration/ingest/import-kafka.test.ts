import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutput } from '../../../common/cli/output.js';
import { createLogger } from '../../../common/logger.js';
import { createMetrics } from '../../../common/metrics.js';
import { topicNames } from '../../../common/topics.js';
import { runImportBuilds } from '../../../ingest/import/run.js';
import { writeSampleHistoryCsv } from '../../../ingest/import/index.js';
import { createKafka } from '../../../sinks/index.js';
import { isolatedConfig, waitFor } from '../../helpers/env.js';
import { collect, createTopics, deleteTopics } from './kafka-helpers.js';

const config = isolatedConfig();
const logger = createLogger({ level: 'warn' });
const kafka = createKafka(config, logger, 'import-it');
const file = join(tmpdir(), `pulse-import-${config.kafka.topicPrefix}.csv`);

describe('import builds → Kafka', () => {
  beforeAll(async () => {
    await createTopics(kafka, config);
  });
  afterAll(async () => {
    await deleteTopics(kafka, config);
    await rm(file, { force: true });
  });

  it('imports every good row as build events and reports the bad lines', async () => {
    const gen = await writeSampleHistoryCsv(file, { rows: 1200, seed: 4, badEvery: 400 });
    const lines: string[] = [];
    const output = { json: true, result: () => undefined, progress: (m: string) => lines.push(m) };
    const report = await runImportBuilds(
      { config, logger, metrics: createMetrics({ defaultMetrics: false }), kafka, output: { ...createOutput({ quiet: true }), ...output } },
      { input: file },
    );
    expect(report).toMatchObject({ rows: 1200, imported: 1200 - gen.bad, rejected: gen.bad });
    // Bad rows are every 400th data row: file lines 401, 801, 1201 (the header is line 1).
    expect(report.errors.map((e) => e.line)).toEqual([401, 801, 1201]);
    expect(lines.filter((l) => /^line \d+:/.test(l))).toHaveLength(3);

    const c = await collect(kafka, [topicNames(config.kafka.topicPrefix)['events.build']]);
    try {
      await waitFor('imported events', () => c.received.length >= report.events, 60_000);
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await c.stop();
    }
    expect(c.errors).toEqual([]);
    expect(c.received.length).toBe(report.events);
    const finished = c.received.filter((r) => r.event.family === 'build' && r.event.value.type === 'FINISHED');
    expect(finished).toHaveLength(report.imported);
    expect(finished.every((r) => r.event.family === 'build' && r.event.value.features.layers_requested !== undefined)).toBe(true);
    expect(c.received.every((r) => r.keyMatches)).toBe(true);
  });
});
