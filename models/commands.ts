/** CLI commands of the models part (see README "CLI"). */
import type { Command } from 'commander';
import type { CliContext } from '../common/cli/context.js';

export function registerCommands(_program: Command, _ctx: CliContext): void {
  // Commands of this part are registered here as they land.
}
