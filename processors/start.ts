/**
 * Starting the processors of `pulse process`: the feature processor always exists; the streaming
 * anomaly detector (processors/anomaly, helper part) and the online scorer (processors/scoring) plug in
 * through {@link PROCESSOR_KINDS} — each entry loads its module lazily and starts it with the same deps.
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
  start(deps: ProcessorStartDeps): Promise<ProcessorHandle>;
}

/**
 * Every kind `pulse process --only` accepts. Extension point: the anomaly consumer
 * (`startAnomalyProcessor` in processors/anomaly/index.ts) and the online scorer (`startOnlineScorer`
 * in processors/scoring/index.ts) are added here as entries when they exist.
 */
export const PROCESSOR_KINDS: readonly ProcessorKind[] = [
  {
    name: 'features',
    doc: 'raw events + rolling window features into ClickHouse',
    start: (d) => startFeatureProcessor({ config: d.config, logger: d.logger, metrics: d.metrics, groupId: d.groupId }),
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
  const handles: ProcessorHandle[] = [];
  try {
    for (const kind of PROCESSOR_KINDS.filter((k) => wanted.includes(k.name))) handles.push(await kind.start(deps));
  } catch (err) {
    await stopProcessors(handles, deps.logger);
    throw err;
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
