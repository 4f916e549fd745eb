/** CLI commands of the ingest part. */
import type { Command } from 'commander';
import type { CliContext } from '../common/cli/context.js';
import { registerAgentCommands } from './agent/commands.js';
import { registerSimulatorCommands } from './simulator/commands.js';

export function registerCommands(program: Command, ctx: CliContext): void {
  registerSimulatorCommands(program, ctx);
  registerAgentCommands(program, ctx);
}
