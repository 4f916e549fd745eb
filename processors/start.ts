/**
 * Starting the processors of `pulse process`: the feature processor, the streaming anomaly detector
 * (processors/anomaly) and the online scorer (processors/scoring), listed in {@link PROCESSOR_KINDS} —
 * each entry loads its module lazily and starts it with the same deps. A new kind is one more entry.
 */
import type { Config } from '../common/config.js';
import { InputError } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { Metrics } from '../common/metrics.js';
import { startFeatureProcessor, type ProcessorHandle } from './runtime/feature-runtime.js';

/** What every processor kind is started with. */
export interface ProcessorStartDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** Consumer group override (`--group`); each kind derives its own group from it. */
  groupId?: string;
}

/** A processor kind: name and lazy starter. */
export interface ProcessorKind {
  name: string;
  doc: string;
  /** Skipped with a logged error (instead of failing the command) when it fails to start unasked. */
  optional?: boolean;
  start(deps: ProcessorStartDeps): Promise<ProcessorHandle>;
}

/**
 * Every kind `pulse process --only` accepts, in start order. `optional` kinds that fail to start when
 * they were not asked for explicitly are logged and skipped (e.g. the scorer before any model exists).
 */
export const PROCESSOR_KINDS: readonly ProcessorKind[] = [
  {
    name: 'features',
    doc: 'raw events + rolling window features into ClickHouse',
    start: (d) => startFeatureProcessor({ config: d.config, logger: d.logger, metrics: d.metrics, groupId: d.groupId }),
  },
  {
    name: 'anomaly',
    doc: 'streaming anomaly detectors: alerts into ClickHouse and the alerts topic (processors/anomaly)',
    optional: true,
    async start(d) {
      const [{ startAnomalyProcessor }, { createClickHouse, createKafka }, { createSchemaSet }] = await Promise.all([
        import('./anomaly/index.js'),
        import('../sinks/index.js'),
        import('../ingest/index.js'),
      ]);
      const clickhouse = createClickHouse(d.config);
      try {
        const p = await startAnomalyProcessor({
          config: d.config,
          kafka: createKafka(d.config, d.logger, 'anomaly'),
          clickhouse,
          schemas: createSchemaSet(),
          logger: d.logger,
          metrics: d.metrics,
        });
        return {
          name: 'anomaly',
          async stop() {
            await p.stop();
            await clickhouse.close();
          },
        };
      } catch (err) {
        await clickhouse.close();
        throw err;
      }
    },
  },
  {
    name: 'scoring',
    doc: 'online scorer: a prediction row per queued/started build (processors/scoring; needs a trained model)',
    optional: true,
    async start(d) {
      const { startOnlineScorer } = await import('./scoring/index.js');
      return startOnlineScorer({
        config: d.config,
        logger: d.logger,
        metrics: d.metrics,
        ...(d.groupId ? { groupId: `${d.groupId}.scoring` } : {}),
      });
    },
  },
];

/** Names of the known kinds. */
export function processorKindNames(): string[] {
  return PROCESSOR_KINDS.map((k) => k.name);
}

/** Starts the selected kinds (default: all); stops the started ones again if one fails to start. */
export async function startProcessors(deps: ProcessorStartDeps & { only?: readonly string[] }): Promise<ProcessorHandle[]> {
  const wanted = deps.only && deps.only.length > 0 ? deps.only : processorKindNames();
  for (const name of wanted)
    if (!PROCESSOR_KINDS.some((k) => k.name === name))
      throw new InputError('--only', `unknown processor "${name}" (known: ${processorKindNames().join(', ')})`);
  const explicit = deps.only !== undefined && deps.only.length > 0;
  const handles: ProcessorHandle[] = [];
  for (const kind of PROCESSOR_KINDS.filter((k) => wanted.includes(k.name))) {
    try {
      handles.push(await kind.start(deps));
    } catch (err) {
      if (kind.optional && !explicit) {
        deps.logger.error({ err, processor: kind.name }, 'optional processor failed to start: running without it');
        continue;
      }
      await stopProcessors(handles, deps.logger);
      throw err;
    }
  }
  return handles;
}

/** Stops processors in reverse start order, logging (not throwing) individual failures. */
export async function stopProcessors(handles: readonly ProcessorHandle[], logger: Logger): Promise<void> {
  for (const h of [...handles].reverse()) {
    try {
      await h.stop();
    } catch (err) {
      logger.error({ err, processor: h.name }, 'processor failed to stop cleanly');
    }
  }
}
