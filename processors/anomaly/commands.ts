/** CLI commands: offline anomaly detection (see README "CLI"). */
import type { Command } from 'commander';
import type { CliContext } from '../../common/cli/context.js';

export function registerAnomalyCommands(_program: Command, _ctx: CliContext): void {
  // Registered here as they land.
}
