/** CLI commands of the processors part. */
import type { Command } from 'commander';
import { intFlag, jsonOption, type CliContext } from '../common/cli/context.js';
import { registerAnomalyCommands } from './anomaly/commands.js';

interface ProcessFlags {
  group?: string;
  only?: string;
  durationS?: number;
  json?: boolean;
}

/** Registers `pulse process` and the anomaly commands. */
export function registerCommands(program: Command, ctx: CliContext): void {
  program
    .command('process')
    .description('run the stream processors (features into ClickHouse; anomaly/scoring when present) until SIGINT/SIGTERM')
    .option('--group <name>', 'consumer group (default: config processor.groupId); instances in one group split partitions')
    .option(
      '--only <kinds>',
      'comma-separated processor kinds: features, anomaly, scoring (default: all; optional ones that fail to start are skipped)',
    )
    .option('--duration-s <seconds>', 'stop after this many seconds', intFlag('duration-s', 1, 31_536_000))
    .addOption(jsonOption())
    .action(async (flags: ProcessFlags) => {
      const { runProcessCommand } = await import('./run-command.js');
      const out = ctx.output(flags);
      const result = await runProcessCommand({
        config: ctx.config(),
        logger: ctx.logger(),
        metrics: ctx.metrics(),
        groupId: flags.group,
        only: flags.only
          ?.split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
        durationMs: flags.durationS === undefined ? undefined : flags.durationS * 1000,
        progress: (m) => out.progress(m),
      });
      out.result(
        result,
        (r) =>
          `processed ${r.eventsApplied} events (${r.deadLettered} dead-lettered) with ${r.processors.join(', ')} in ${(r.runtimeMs / 1000).toFixed(1)} s`,
      );
    });
  registerAnomalyCommands(program, ctx);
}
