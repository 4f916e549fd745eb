/**
 * `npm run demo [-- --duration S]`: the whole loop, live, from a fresh clone. Brings up the stack and
 * the schema, then starts each part as its own `pulse` process (as in production): stream processors,
 * API with directive engine and dashboard, the fleet simulator for volume, real agents (dockerode) on
 * two pools fed by a job generator with a burst, and trains a first model once enough history exists.
 * Runs until Ctrl-C or `--duration`, stops every part cleanly and prints a summary read from ClickHouse.
 * A part that crashes makes the demo fail (exit code 1) with the part's log tail.
 */
import { join } from 'node:path';
import type { CliContext } from '../../common/cli/context.js';
import { createRng, sampleCombination } from '../../ingest/index.js';
import { applySchema, createClickHouse } from '../../sinks/index.js';
import { StackError } from '../../common/errors.js';
import { stackPaths, stackUp } from '../stack/index.js';
import { loadCommandCatalog } from './available.js';
import { startDemand, type DemandGenerator } from './demand.js';
import { menuPicker, openJobSource, type JobSource } from './jobs.js';
import { agentExecutor, defaultSettings } from './plan.js';
import { startParts } from './start-parts.js';
import { crashError, createSession } from './session.js';
import { readSummary, summaryText } from './summary.js';
import { startStatusLines, startTrainer, type Stoppable } from './watchers.js';

/** Flags of `pulse demo`. */
export interface DemoFlags {
  duration?: number;
  json?: boolean;
}

/** Resolves on Ctrl-C / SIGTERM or when the duration has passed. */
function stopSignal(durationS: number | undefined, progress: (m: string) => void): { promise: Promise<string>; dispose(): void } {
  let done: (why: string) => void = () => undefined;
  const promise = new Promise<string>((r) => (done = r));
  const onSignal = (sig: NodeJS.Signals): void => {
    progress(`demo: ${sig} received, stopping`);
    done(sig);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const timer = durationS ? setTimeout(() => done('duration'), durationS * 1000) : undefined;
  return {
    promise,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (timer) clearTimeout(timer);
    },
  };
}

/** Runs the demo. */
export async function runDemo(ctx: CliContext, flags: DemoFlags): Promise<void> {
  const out = ctx.output(flags);
  const progress = (m: string): void => out.progress(m);
  const config = ctx.config();
  const logger = ctx.logger();
  const settings = defaultSettings(flags.duration);
  const startedAt = Date.now();

  progress('demo: bringing up the local stack (Kafka, ClickHouse, Docker engine)');
  await stackUp(config, progress);
  const schema = await applySchema(config, logger, progress);
  progress(
    `demo: schema ready: ${schema.topics.created.length + schema.topics.existing.length} topics (prefix ${config.kafka.topicPrefix}), database ${config.clickhouse.database}`,
  );
  const commands = await loadCommandCatalog();
  // One folder per run, so a crash report shows this run's lines only.
  const logDir = join(stackPaths(config.dataDir).logs, 'demo', new Date(startedAt).toISOString().replace(/[:.]/g, '-'));
  progress(`demo: logs of every part in ${logDir}`);
  const session = createSession({ logDir, progress });
  const stop = stopSignal(settings.durationS, progress);
  const clickhouse = createClickHouse(config);
  let jobs: JobSource | undefined;
  let demand: DemandGenerator | undefined;
  const watchers: Stoppable[] = [];
  let demandError: unknown;
  try {
    const crashed = session.crashed.then((exit) => {
      throw crashError(exit, '');
    });
    // Observed by the races below; this handler only keeps a late crash from being an unhandled rejection.
    crashed.catch(() => undefined);
    const seed = startedAt % 100_000;
    const parts = startParts({ session, commands, config, settings, progress, seed }).then((sim) => {
      if (sim) watchers.push(sim);
      return 'started';
    });
    // When the demo is stopped during start-up, the start sequence fails as its parts are stopped.
    parts.catch(() => undefined);
    const started = await Promise.race([parts, stop.promise, crashed]);
    if (started === 'started') {
      if (commands.has('agent') && settings.agentPools.length > 0) {
        jobs = openJobSource(config, logger);
        progress(`demo: job generator for pools ${settings.agentPools.join(', ')} via ${jobs.how}`);
        const rng = createRng(startedAt);
        const source = jobs;
        demand = startDemand({
          plan: {
            pools: settings.agentPools,
            basePerMinute: 6,
            burstStartMs: Math.min(120_000, ((settings.durationS ?? 600) * 1000) / 3),
            burstDurationMs: 60_000,
            burstFactor: 4,
          },
          rng,
          submit: (pool, combination, count) => source.submit(pool, combination, count),
          pick: menuPicker((r) => sampleCombination(r, { maxModules: 4 }), rng.fork('menu')),
          onError: (err) => {
            demandError = err;
            progress(`demo: job generator failed: ${err instanceof Error ? err.message : String(err)}`);
          },
          progress,
        });
      }
      watchers.push(
        startTrainer({ session, commands, clickhouse, database: config.clickhouse.database, sinceMs: startedAt, settings, progress }),
      );
      watchers.push(startStatusLines({ clickhouse, database: config.clickhouse.database, progress, intervalMs: 30_000 }));
      const url = `http://${config.api.host}:${config.api.port}/dashboard`;
      progress(`demo: dashboard:  ${url}`);
      progress(
        `demo: analyst SQL: clickhouse-client --host 127.0.0.1 --user analyst --password <PULSE_ANALYST_PASSWORD, local default analyst-local> --database ${config.clickhouse.database}  (HTTP ${config.clickhouse.url})`,
      );
      progress(settings.durationS ? `demo: running for ${settings.durationS} s (Ctrl-C stops earlier)` : 'demo: running until Ctrl-C');
      await Promise.race([stop.promise, crashed]);
    }
  } catch (err) {
    if (!session.crash()) throw err;
  } finally {
    stop.dispose();
    // Loops end once their current child is stopped: signal them first, stop the parts, then wait.
    const ended = watchers.map((w) => w.stop());
    await demand?.stop();
    await jobs?.close();
    await session.stopAll();
    await Promise.all(ended);
  }
  const crash = session.crash();
  try {
    if (crash) throw crashError(crash, session.tailOf(crash.name));
    if (demandError)
      throw demandError instanceof Error ? demandError : new StackError('demo', `job generator failed: ${JSON.stringify(demandError)}`);
    const summary = await readSummary(clickhouse, config.clickhouse.database, {
      sinceMs: startedAt,
      eventsSinceMs: commands.has('simulate') ? startedAt - settings.historyMin * 60_000 : startedAt,
      agentExecutors: settings.agentPools.map(agentExecutor),
    });
    const seconds = Math.round((Date.now() - startedAt) / 1000);
    out.result({ ...summary, durationS: seconds, jobsSubmitted: demand?.submitted() ?? 0 }, (s) => summaryText(s, seconds));
  } finally {
    await clickhouse.close();
  }
}
