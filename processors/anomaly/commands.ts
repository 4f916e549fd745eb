/** CLI commands: offline anomaly detection, its evaluation harness and labelled-set generator. */
import type { Command } from 'commander';
import { intFlag, jsonOption, type CliContext } from '../../common/cli/context.js';
import { InputError } from '../../common/errors.js';

interface DetectFlags {
  input?: string;
  evaluate?: string;
  makeEval?: string;
  fleetSeeds?: string;
  hours: number;
  seed: number;
  days: number;
  json?: boolean;
}

/** Registers `pulse detect`. */
export function registerAnomalyCommands(program: Command, ctx: CliContext): void {
  program
    .command('detect')
    .description(
      'offline anomaly detection: --input FILE.csv (header timestamp,value) prints one {timestamp,value,score,alert} per row; ' +
        '--make-eval DIR writes a labelled evaluation set; --evaluate DIR reports precision, recall, delay and false alarms per day; ' +
        '--fleet-seeds 1-12 counts, per seed, the simulator incidents alerted within two 5-minute windows and the alerts of a quiet run',
    )
    .option('--input <file>', 'CSV with header timestamp,value (ISO-8601 or epoch ms)')
    .option('--evaluate <dir>', 'evaluate the detector on a labelled set (labels.json + CSVs)')
    .option('--make-eval <dir>', 'write the synthetic labelled evaluation set into DIR')
    .option('--fleet-seeds <list>', 'fleet-simulator seeds to evaluate, e.g. 1-12 or 1,4,7-9')
    .option('--hours <n>', 'virtual hours per --fleet-seeds run', intFlag('hours', 1, 48), 4)
    .option('--seed <n>', 'seed of --make-eval', intFlag('seed', 0, 2 ** 31 - 1), 1)
    .option('--days <n>', 'days per series of --make-eval', intFlag('days', 2, 60), 7)
    .addOption(jsonOption())
    .action(async (flags: DetectFlags) => {
      const modes = [flags.input, flags.evaluate, flags.makeEval, flags.fleetSeeds].filter((m) => m !== undefined);
      if (modes.length !== 1)
        throw new InputError('detect', 'give exactly one of --input FILE, --evaluate DIR, --make-eval DIR, --fleet-seeds LIST');
      const out = ctx.output(flags);
      const { runDetect, runEvaluate, runFleetEvaluate, runMakeEval } = await import('./offline/run-commands.js');
      if (flags.input !== undefined) runDetect(flags.input, out);
      else if (flags.evaluate !== undefined) runEvaluate(flags.evaluate, out);
      else if (flags.makeEval !== undefined) runMakeEval(flags.makeEval, flags.seed, flags.days, out);
      else if (flags.fleetSeeds !== undefined) runFleetEvaluate(flags.fleetSeeds, flags.hours, out);
    });
}
