/** CLI commands: fleet simulator and history import (see README "CLI"). */
import type { Command } from 'commander';
import type { CliContext } from '../../common/cli/context.js';

export function registerSimulatorCommands(_program: Command, _ctx: CliContext): void {
  // Registered here as they land.
}
