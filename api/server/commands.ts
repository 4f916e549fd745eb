/** CLI commands: API server and directive engine (see README "CLI"). */
import type { Command } from 'commander';
import { intFlag, jsonOption, type CliContext } from '../../common/cli/context.js';

/** Flags of `pulse serve`. */
interface ServeFlags {
  port?: number;
  engine: boolean;
}

/** Flags of `pulse direct`. */
interface DirectFlags {
  once?: boolean;
  json?: boolean;
  policy?: string;
  cache?: string;
}

export function registerServerCommands(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the API (/v1, /docs, /metrics, /healthz, /readyz, dashboard) and the directive engine')
    .option('--port <port>', 'listen port (default config api.port)', intFlag('port', 0, 65535))
    .option('--no-engine', 'do not run the directive engine in this process')
    .action(async (flags: ServeFlags) => {
      const { serve } = await import('./serve.js');
      await serve(ctx, flags);
    });
  program
    .command('direct')
    .description('run the directive engine alone: scaling and cache-warming directives per pool, acks, measured effects')
    .option('--once', 'one pass, print what was issued, exit')
    .option('--policy <name>', 'scaling policy (default predictive)')
    .option('--cache <name>', 'cache policy (default predictive-warm)')
    .addOption(jsonOption())
    .action(async (flags: DirectFlags) => {
      const { direct } = await import('./direct.js');
      await direct(ctx, flags);
    });
}
