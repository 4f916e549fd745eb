/** CLI commands: executor agent and job submission (see README "CLI"). */
import type { Command } from 'commander';
import type { CliContext } from '../../common/cli/context.js';

export function registerAgentCommands(_program: Command, _ctx: CliContext): void {
  // Registered here as they land.
}
