/** CLI commands: executor-pool simulator (see README "CLI" and api/pool-sim/TRACES.md). */
import { Option, type Command } from 'commander';
import { intFlag, jsonOption, type CliContext } from '../../common/cli/context.js';

/** Flags of `pulse simulate-pool`. */
export interface SimulatePoolFlags {
  trace?: string;
  fromClickhouse?: string;
  fleet?: boolean;
  recorded?: string | boolean;
  recordDocker?: boolean;
  pool?: string;
  policy: string;
  cache: string;
  sloMs?: number;
  minSlots?: number;
  maxSlots?: number;
  startupMs?: number;
  cacheCapacity?: number;
  seed?: number;
  days?: number;
  sweep?: boolean;
  compare?: boolean;
  out?: string;
  svg?: boolean;
  writeTrace?: string;
  json?: boolean;
}

export function registerPoolSimCommands(program: Command, ctx: CliContext): void {
  program
    .command('simulate-pool')
    .description('replay a demand trace against an executor pool under a scaling and a cache policy (what-if simulator)')
    .option('--trace <file>', 'trace CSV (format: api/pool-sim/TRACES.md)')
    .option('--from-clickhouse <range>', 'trace from ClickHouse build history: FROM..TO (ISO or ms) or a look-back like 7d')
    .option('--fleet', 'trace generated from the fleet simulator model (diurnal load + bursts)')
    .option('--recorded [file]', 'trace from real docker build timings (default: the recording in api/pool-sim/data)')
    .option('--record-docker', 'measure real docker builds on the local engine now and use them (writes recording.json to --out)')
    .option('--pool <name>', 'only this pool of the trace')
    .addOption(
      new Option('--policy <name>', 'scaling policy').choices(['reactive', 'scheduled', 'predictive', 'fixed']).default('predictive'),
    )
    .addOption(new Option('--cache <name>', 'cache policy').choices(['lru', 'predictive-warm', 'belady']).default('lru'))
    .option('--slo-ms <n>', 'queue-wait SLO of the pool, ms (default 120000)', intFlag('slo-ms', 1, 86_400_000))
    .option('--min-slots <n>', 'minimum slots per pool (default 1)', intFlag('min-slots', 0, 100_000))
    .option('--max-slots <n>', 'maximum slots per pool (default 200)', intFlag('max-slots', 1, 100_000))
    .option('--startup-ms <n>', 'executor start-up delay, ms (default 120000)', intFlag('startup-ms', 0, 86_400_000))
    .option('--cache-capacity <n>', 'layers cached per executor (default 16)', intFlag('cache-capacity', 0, 1_000_000))
    .option('--seed <n>', 'seed of generated traces', intFlag('seed', 0, 2 ** 31))
    .option('--days <n>', 'days of generated traces (default 7)', intFlag('days', 1, 60))
    .option('--sweep', 'sweep pool sizes and policy parameters; print the cost vs p95-wait Pareto set')
    .option('--compare', 'acceptance comparison: predictive vs reactive, predictive-warm vs belady and lru')
    .option('--out <dir>', 'write summaries, time series (CSV/JSON) and sweeps here')
    .option('--svg', 'also write SVG charts to --out')
    .option('--write-trace <file>', 'save the trace used as CSV')
    .addOption(jsonOption())
    .action(async (flags: SimulatePoolFlags) => {
      const { runSimulatePool } = await import('./run.js');
      await runSimulatePool(flags, ctx);
    });
}
