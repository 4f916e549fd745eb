/** CLI commands: fleet simulator and history import (see README "CLI"). */
import { Option, type Command } from 'commander';
import { intFlag, jsonOption, numberFlag, type CliContext } from '../../common/cli/context.js';
import { table } from '../../common/cli/output.js';

/** Registers `simulate`, `simulate-history` and `import builds`. */
export function registerSimulatorCommands(program: Command, ctx: CliContext): void {
  program
    .command('simulate')
    .description('simulate a build fleet and send its events to Kafka (deterministic for a seed)')
    .addOption(new Option('--pools <n>', 'number of executor pools').argParser(intFlag('pools', 1, 100)).default(4))
    .addOption(new Option('--executors-per-pool <n>', 'executors in each pool').argParser(intFlag('executors-per-pool', 1, 500)).default(8))
    .addOption(
      new Option('--rate <events-per-sec>', 'events sent per wall-clock second').argParser(numberFlag('rate', 1, 1_000_000)).default(1000),
    )
    .addOption(
      new Option('--duration <seconds>', 'seconds to send for (events = rate × duration)')
        .argParser(numberFlag('duration', 0.1, 86_400))
        .default(10),
    )
    .addOption(new Option('--seed <n>', 'random seed').argParser(intFlag('seed', 0, 2 ** 31 - 1)).default(1))
    .option('--anomalies', 'inject incidents: slow executor, cache outage, failure burst, stuck queue')
    .option('--start <time>', 'virtual start time: ISO-8601, epoch ms or "now"', '2026-01-05T06:00:00Z')
    .option('--truth <file>', 'write the ground truth (counts, builds per pool and minute, incidents) as JSON')
    .addOption(new Option('--compression <codec>', 'Kafka compression').choices(['none', 'gzip']).default('none'))
    .addOption(jsonOption())
    .action(async (flags: import('./run.js').SimulateFlags) => {
      const { runSimulate } = await import('./run.js');
      const { createKafka, ensureTopics } = await import('../../sinks/index.js');
      const config = ctx.config();
      const out = ctx.output(flags);
      const kafka = createKafka(config, ctx.logger(), 'simulate');
      await ensureTopics(kafka, {
        prefix: config.kafka.topicPrefix,
        partitions: config.kafka.partitions,
        replicationFactor: config.kafka.replicationFactor,
      });
      const report = await runSimulate({ config, logger: ctx.logger(), metrics: ctx.metrics(), kafka, output: out }, flags);
      out.result(report, (r) =>
        [
          `${r.events} events in ${r.elapsedSec} s (${r.achievedRate}/s, target ${r.targetRate}/s); virtual ${r.virtualStart} → ${r.virtualEnd}; ${r.incidents} incidents`,
          table([['topic', 'messages'], ...Object.entries(r.topics).sort()]),
          ...(r.truthFile ? [`ground truth: ${r.truthFile}`] : []),
        ].join('\n'),
      );
    });

  program
    .command('simulate-history')
    .description('simulate a build fleet without Kafka and write its finished builds as a history CSV (import format)')
    .requiredOption('--output <file>', 'CSV file to write')
    .addOption(new Option('--builds <n>', 'finished builds to write').argParser(intFlag('builds', 1, 10_000_000)).default(300_000))
    .addOption(new Option('--pools <n>', 'number of executor pools').argParser(intFlag('pools', 1, 1000)).default(150))
    .addOption(new Option('--executors-per-pool <n>', 'executors in each pool').argParser(intFlag('executors-per-pool', 1, 500)).default(8))
    .addOption(new Option('--seed <n>', 'random seed').argParser(intFlag('seed', 0, 2 ** 31 - 1)).default(1))
    .option('--anomalies', 'inject incidents: slow executor, cache outage, failure burst, stuck queue')
    .option('--start <time>', 'virtual start time: ISO-8601 or epoch ms', '2026-01-05T06:00:00Z')
    .addOption(jsonOption())
    .action(
      async (flags: {
        output: string;
        builds: number;
        pools: number;
        executorsPerPool: number;
        seed: number;
        anomalies?: boolean;
        start: string;
        json?: boolean;
      }) => {
        const { writeSimulatedHistory } = await import('./history-csv.js');
        const { parseStart } = await import('./run.js');
        const out = ctx.output(flags);
        const report = await writeSimulatedHistory(flags.output, {
          builds: flags.builds,
          pools: flags.pools,
          executorsPerPool: flags.executorsPerPool,
          seed: flags.seed,
          anomalies: flags.anomalies === true,
          startMs: parseStart(flags.start, Date.now()),
          onProgress: (n) => out.progress(`${n} builds`),
        });
        out.result(
          report,
          (r) =>
            `${r.builds} builds (${r.failed} failed, ${r.cancelled} cancelled) ${r.virtualStart} → ${r.virtualEnd} written to ${r.file}`,
        );
      },
    );

  program
    .command('import')
    .description('backfill history into Kafka')
    .command('builds')
    .description('import past builds from a CSV (build_id,pool,started_at,duration_ms,status[,combination,executor,queued_at,f_<name>…])')
    .requiredOption('--input <file>', 'CSV file with a header line')
    .addOption(jsonOption())
    .action(async (flags: { input: string; json?: boolean }) => {
      const { runImportBuilds } = await import('../import/run.js');
      const { createKafka, ensureTopics } = await import('../../sinks/index.js');
      const config = ctx.config();
      const out = ctx.output(flags);
      const kafka = createKafka(config, ctx.logger(), 'import');
      await ensureTopics(kafka, {
        prefix: config.kafka.topicPrefix,
        partitions: config.kafka.partitions,
        replicationFactor: config.kafka.replicationFactor,
      });
      const report = await runImportBuilds({ config, logger: ctx.logger(), metrics: ctx.metrics(), kafka, output: out }, flags);
      out.result(
        report,
        (r) =>
          `${r.input}: ${r.rows} rows, ${r.imported} imported (${r.events} events), ${r.rejected} rejected, in ${r.elapsedSec} s (${r.rowsPerSec} rows/s, peak RSS ${r.maxRssMb} MiB)` +
          (r.ignoredColumns.length > 0 ? `\nignored columns: ${r.ignoredColumns.join(', ')}` : ''),
      );
    });
}
