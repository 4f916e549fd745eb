/**
 * How the demo puts build jobs on the jobs topic: in-process with the agent's job submitter
 * (what `pulse submit` runs), one Kafka producer for the whole run.
 */
import type { Config } from '../../common/config.js';
import type { Logger } from '../../common/logger.js';
import { createJobSubmitter, createSchemaSet, type Rng } from '../../ingest/index.js';
import { createKafka } from '../../sinks/index.js';
import type { PickCombination, SubmitJobs } from './demand.js';

/** A job source and how to close it. */
export interface JobSource {
  how: string;
  submit: SubmitJobs;
  close(): Promise<void>;
}

/** Opens the job source. */
export function openJobSource(config: Config, parentLogger: Logger): JobSource {
  // The demo's terminal shows progress lines; the client library's notices go to the log only at error level.
  const logger = parentLogger.child({ component: 'demo-jobs' }, { level: 'error' });
  const submitter = createJobSubmitter({
    kafka: createKafka(config, logger, 'demo-jobs'),
    schemas: createSchemaSet(),
    topicPrefix: config.kafka.topicPrefix,
    logger,
  });
  return {
    how: 'the job submitter of `pulse submit`, in-process',
    submit: async (pool, combination, count) => (await submitter.submit({ pool, combination, count, submittedBy: 'demo' })).length,
    close: () => submitter.close(),
  };
}

/**
 * A per-pool menu of combinations drawn once from the catalogue, picked with Zipf-like weights: popular
 * images repeat (cache hits), the long tail misses — like a real factory's demand.
 */
export function menuPicker(sample: (rng: Rng) => string[], seedRng: Rng, size = 8): PickCombination {
  const menus = new Map<string, string[][]>();
  return (rng, pool) => {
    let menu = menus.get(pool);
    if (!menu) {
      const r = seedRng.fork(pool);
      menu = Array.from({ length: size }, () => sample(r));
      menus.set(pool, menu);
    }
    return menu[rng.weighted(menu.map((_, i) => 1 / (i + 1)))] ?? menu[0] ?? [];
  };
}
