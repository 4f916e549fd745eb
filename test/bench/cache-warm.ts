/**
 * Benchmark: what a cache-warm directive buys the next real build of a combination.
 *
 * For each combination, on the real Docker engine and Kafka (own topics, fresh cache namespaces):
 *   before — an agent with a cold cache builds a job of the combination;
 *   after  — a second agent (another cold namespace) receives a CACHE_WARM directive for it, pre-builds it
 *            in an idle slot, then builds a job of the same combination.
 * Prints cache hit ratio and build time of the job before vs after (and the warm build's own time).
 *
 *   npx tsx test/bench/cache-warm.ts [--combinations N] [--json]
 */
import { createLogger } from '../../common/logger.js';
import { createMetrics } from '../../common/metrics.js';
import { topicNames } from '../../common/topics.js';
import { createAgent, dockerFromConfig, NAMESPACE_LABEL, removeImagesByLabel, submitJobs } from '../../ingest/agent/index.js';
import { createEventProducer, createSchemaSet, type BuildEvent, type CacheEvent, type Directive } from '../../ingest/index.js';
import { createKafka, ensureTopics } from '../../sinks/index.js';
import { isolatedConfig, uniqueName, waitFor } from '../helpers/env.js';

const CANDIDATES = [
  ['base@2', 'glibc@2.36', 'zlib@1.3.1', 'openssl@3.0.13'],
  ['base@3', 'glibc@2.38', 'openssl@3.2.1', 'curl@8.9.1'],
  ['base@1', 'glibc@2.36', 'zlib@1.3.1', 'postgres-client@16'],
  ['base@2', 'zlib@1.3.1', 'node@20'],
];

const args = process.argv.slice(2);
const json = args.includes('--json');
const countArg = args.indexOf('--combinations');
const count = countArg >= 0 ? Number(args[countArg + 1]) : 2;
if (!Number.isInteger(count) || count < 1 || count > CANDIDATES.length) {
  process.stderr.write(`--combinations must be an integer in [1, ${CANDIDATES.length}]\n`);
  process.exit(2);
}
const progress = (m: string): void => void (json || process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`));

const prefix = uniqueName('benchwarm');
const config = isolatedConfig(prefix);
const logger = createLogger({ level: 'error' });
const kafka = createKafka(config, logger, prefix);
const schemas = createSchemaSet();
const docker = dockerFromConfig(config);
const producer = createEventProducer({ kafka, schemas, topicPrefix: prefix, logger, metrics: createMetrics({ defaultMetrics: false }) });
const builds: BuildEvent[] = [];
const cache: CacheEvent[] = [];
const poolBase = `bench-${prefix}`.replace(/_/g, '-');
const namespaces = [`${poolBase}-cold`, `${poolBase}-warm`];
// One pool per combination, so the warm agent's directive reader (from the beginning) sees only its directive.
let pool = poolBase;

interface Row {
  combination: string;
  layerSteps: number;
  before: { hitRatio: number; buildMs: number };
  warmBuildMs: number;
  after: { hitRatio: number; buildMs: number };
  speedup: number;
}

async function buildJob(combination: string[]): Promise<{ hitRatio: number; buildMs: number }> {
  const [job] = await submitJobs({ kafka, schemas, topicPrefix: prefix, logger }, { pool, combination });
  const f = await waitFor('job finished', () => builds.find((b) => b.job_id === job?.jobId && b.type === 'FINISHED'), 300_000);
  if (f.status !== 'PASSED') throw new Error(`bench build of ${combination.join(';')} ended ${f.status} (${f.failure_category})`);
  await new Promise((r) => setTimeout(r, 300));
  const steps = cache.filter((c) => c.build_id === f.build_id);
  return { hitRatio: steps.length === 0 ? 0 : steps.filter((c) => c.hit).length / steps.length, buildMs: f.duration_ms ?? 0 };
}

async function main(): Promise<Row[]> {
  await ensureTopics(kafka, { prefix, partitions: 3, replicationFactor: 1 });
  const collector = kafka.consumer({ groupId: `${prefix}-collector`, maxWaitTimeInMs: 200 });
  const t = topicNames(prefix);
  await collector.connect();
  await collector.subscribe({ topics: [t['events.build'], t['events.cache']], fromBeginning: true });
  await collector.run({
    eachMessage: ({ message }) => {
      if (!message.value) return Promise.resolve();
      const e = schemas.decode(message.value);
      if (e.family === 'build') builds.push(e.value);
      if (e.family === 'cache') cache.push(e.value);
      return Promise.resolve();
    },
  });
  const agentFor = (namespace: string, executor: string) =>
    createAgent({
      config,
      kafka,
      docker,
      schemas,
      producer,
      logger,
      metrics: createMetrics({ defaultMetrics: false }),
      options: { pool, slots: 1, executor, cacheNamespace: namespace, resourceIntervalMs: 5000 },
    });
  const rows: Row[] = [];
  try {
    for (const combination of CANDIDATES.slice(0, count)) {
      const label = combination.join(';');
      pool = `${poolBase}-${rows.length}`;
      progress(`before: cold build of ${label}`);
      const cold = agentFor(namespaces[0] ?? '', 'bench-cold');
      await cold.start();
      const before = await buildJob(combination);
      await cold.stop();

      progress(`after: cache-warm directive for ${label}, then a build`);
      const warm = agentFor(namespaces[1] ?? '', 'bench-warm');
      await warm.start();
      const now = Date.now();
      const id = `bench-warm-${now}`;
      const directive: Directive = {
        event_id: id,
        event_time: now,
        producer_id: 'bench',
        seq: rows.length,
        directive_id: id,
        pool,
        kind: 'CACHE_WARM',
        issued_at: now,
        valid_until: now + 600_000,
        reason: {},
        reason_text: 'benchmark',
        desired_slots: null,
        warm: [{ combination, expected_saving_ms: before.buildMs }],
      };
      await producer.send('directive', directive);
      const warmed = await waitFor('warm build', () => warm.status().warm.find((w) => w.directiveId === id), 300_000);
      const after = await buildJob(combination);
      await warm.stop();
      // Later combinations must start cold too: drop both namespaces' layers.
      for (const ns of namespaces) await removeImagesByLabel(docker, `${NAMESPACE_LABEL}=${ns}`);
      const row = {
        combination: label,
        layerSteps: warmed.hits + warmed.misses,
        before,
        warmBuildMs: warmed.durationMs,
        after,
        speedup: after.buildMs > 0 ? before.buildMs / after.buildMs : 0,
      };
      rows.push(row);
      progress(
        `${label}: hit ratio ${before.hitRatio.toFixed(2)} → ${after.hitRatio.toFixed(2)}, build ${(before.buildMs / 1000).toFixed(1)} s → ${(after.buildMs / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    await collector.disconnect();
    await producer.close();
    for (const ns of namespaces) await removeImagesByLabel(docker, `${NAMESPACE_LABEL}=${ns}`);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(t) }).catch((err: unknown) => logger.warn({ err }, 'topic clean-up failed'));
    await admin.disconnect();
  }
  return rows;
}

const rows = await main();
const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const summary = {
  combinations: rows.length,
  hitRatioBefore: mean(rows.map((r) => r.before.hitRatio)),
  hitRatioAfter: mean(rows.map((r) => r.after.hitRatio)),
  buildMsBefore: mean(rows.map((r) => r.before.buildMs)),
  buildMsAfter: mean(rows.map((r) => r.after.buildMs)),
  warmBuildMs: mean(rows.map((r) => r.warmBuildMs)),
};
if (json) {
  process.stdout.write(`${JSON.stringify({ rows, summary }, null, 2)}\n`);
} else {
  const lines = [
    'combination                                     steps  hit before  hit after  build before  build after  warm build',
    ...rows.map(
      (r) =>
        `${r.combination.padEnd(48)}${String(r.layerSteps).padStart(5)}  ${r.before.hitRatio.toFixed(2).padStart(10)}  ${r.after.hitRatio.toFixed(2).padStart(9)}  ${(r.before.buildMs / 1000).toFixed(1).padStart(10)} s  ${(r.after.buildMs / 1000).toFixed(1).padStart(9)} s  ${(r.warmBuildMs / 1000).toFixed(1).padStart(8)} s`,
    ),
    `mean: hit ratio ${summary.hitRatioBefore.toFixed(2)} → ${summary.hitRatioAfter.toFixed(2)}, build ${(summary.buildMsBefore / 1000).toFixed(1)} s → ${(summary.buildMsAfter / 1000).toFixed(1)} s`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
