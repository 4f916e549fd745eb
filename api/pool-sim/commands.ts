/** CLI commands: executor-pool simulator (see README "CLI"). */
import type { Command } from 'commander';
import type { CliContext } from '../../common/cli/context.js';

export function registerPoolSimCommands(_program: Command, _ctx: CliContext): void {
  // Registered here as they land.
}
