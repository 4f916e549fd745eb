/** CLI commands of the processors part. */
import type { Command } from 'commander';
import type { CliContext } from '../common/cli/context.js';
import { registerAnomalyCommands } from './anomaly/commands.js';

export function registerCommands(program: Command, ctx: CliContext): void {
  // `pulse process` is registered here (stream processors).
  registerAnomalyCommands(program, ctx);
}
