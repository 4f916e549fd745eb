/** `pulse import builds`: streams a build-history CSV into the build topic. */
import type { Kafka } from 'kafkajs';
import type { Output } from '../../common/cli/output.js';
import type { Config } from '../../common/config.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import { createSchemaSet } from '../contracts/schema-set.js';
import { createEventProducer } from '../producer/producer.js';
import { importBuilds, type ImportSummary } from './import-builds.js';

/** The command's report. */
export interface ImportReport extends ImportSummary {
  input: string;
  elapsedSec: number;
  rowsPerSec: number;
  /** Peak resident set size of the process, MiB. */
  maxRssMb: number;
}

/** Row errors printed as progress lines (all are counted; `--json` holds the first 100). */
const PRINTED_ERRORS = 20;

/** Runs the import. */
export async function runImportBuilds(
  deps: { config: Config; logger: Logger; metrics: Metrics; kafka: Kafka; output: Output },
  flags: { input: string },
): Promise<ImportReport> {
  const producer = createEventProducer({
    kafka: deps.kafka,
    schemas: createSchemaSet(),
    topicPrefix: deps.config.kafka.topicPrefix,
    logger: deps.logger,
    metrics: deps.metrics,
  });
  const started = performance.now();
  let printed = 0;
  try {
    await producer.connect();
    const summary = await importBuilds({
      input: flags.input,
      send: (events) => producer.sendMany('build', events),
      onReject: (e) => {
        if (printed++ < PRINTED_ERRORS) deps.output.progress(`line ${e.line}: ${e.field}: ${e.message} (row skipped)`);
      },
      onProgress: (rows) => deps.output.progress(`import: ${rows} rows read`),
    });
    const elapsedSec = (performance.now() - started) / 1000;
    return {
      input: flags.input,
      ...summary,
      elapsedSec: Math.round(elapsedSec * 1000) / 1000,
      rowsPerSec: Math.round(summary.rows / elapsedSec),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await producer.close();
  }
}
