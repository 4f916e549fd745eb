/** CLI commands of the api part. */
import type { Command } from 'commander';
import type { CliContext } from '../common/cli/context.js';
import { registerPoolSimCommands } from './pool-sim/commands.js';
import { registerServerCommands } from './server/commands.js';

export function registerCommands(program: Command, ctx: CliContext): void {
  registerServerCommands(program, ctx);
  registerPoolSimCommands(program, ctx);
}
