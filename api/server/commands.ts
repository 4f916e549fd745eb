/** CLI commands: API server and directive engine (see README "CLI"). */
import type { Command } from 'commander';
import type { CliContext } from '../../common/cli/context.js';

export function registerServerCommands(_program: Command, _ctx: CliContext): void {
  // Registered here as they land.
}
