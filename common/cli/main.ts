/**
 * The `pulse` CLI: a commander program whose commands are contributed by each part's `commands.ts`
 * (kept small; implementations are imported lazily inside the actions so `--help` stays fast).
 */
import { Command, CommanderError } from 'commander';
import { asPulseError, PulseError } from '../errors.js';
import { createCliContext, type CliContext } from './context.js';

/** A part's contribution to the CLI. */
export type RegisterCommands = (program: Command, ctx: CliContext) => void;

const PARTS: readonly (() => Promise<{ registerCommands: RegisterCommands }>)[] = [
  () => import('../../deploy/commands.js'),
  () => import('../../sinks/commands.js'),
  () => import('../../ingest/commands.js'),
  () => import('../../processors/commands.js'),
  () => import('../../models/commands.js'),
  () => import('../../api/commands.js'),
];

/** Builds the program (exported for tests of the CLI surface). */
export async function buildProgram(): Promise<Command> {
  const program = new Command('pulse')
    .description('Factory Pulse: real-time analytics and AI for a container build factory')
    .option('--config <file>', 'JSON config file (see README: Configuration)')
    .option('--log-level <level>', 'trace|debug|info|warn|error|silent')
    .option('-q, --quiet', 'no progress lines on stderr')
    .showHelpAfterError()
    .exitOverride();
  const ctx = createCliContext(program);
  for (const load of PARTS) (await load()).registerCommands(program, ctx);
  program.commands.forEach((c) => c.exitOverride());
  return program;
}

/** Runs the CLI; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = await buildProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const e = asPulseError(err);
    process.stderr.write(`pulse: ${e.code}: ${e.message}\n`);
    if (e.code === 'PULSE_ERR_INTERNAL' && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return e instanceof PulseError && ['PULSE_ERR_INPUT', 'PULSE_ERR_CONFIG', 'PULSE_ERR_VALIDATION'].includes(e.code) ? 2 : 1;
  }
}
