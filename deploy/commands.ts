/** CLI commands of the deploy part: the local stack and the demo. */
import { Option, type Command } from 'commander';
import { intFlag, jsonOption, type CliContext } from '../common/cli/context.js';
import { table } from '../common/cli/output.js';
import type { StackStatus } from './stack/index.js';

function statusText(s: StackStatus): string {
  const rows: (string | number)[][] = [['service', 'state', 'version', 'endpoint', 'pid', 'log']];
  for (const x of s.services) rows.push([x.name, x.state, x.version ?? '-', x.endpoint, x.pid ?? '-', x.log ?? '-']);
  const errors = s.services.filter((x) => x.error).map((x) => `${x.name}: ${x.error}`);
  return `${table(rows)}\ndata: ${s.dataDir}${errors.length ? `\n${errors.join('\n')}` : ''}`;
}

export function registerCommands(program: Command, ctx: CliContext): void {
  const stack = program.command('stack').description('local single-node Kafka + ClickHouse + Docker engine');
  stack
    .command('up')
    .description('install what is missing, start Kafka, ClickHouse and dockerd, wait until ready, migrate (idempotent)')
    .addOption(jsonOption())
    .option('--no-migrate', 'skip topic creation and ClickHouse migrations')
    .action(async (flags: { json?: boolean; migrate: boolean }) => {
      const { stackUp } = await import('./stack/index.js');
      const out = ctx.output(flags);
      const config = ctx.config();
      const status = await stackUp(config, (m) => out.progress(m));
      if (flags.migrate) {
        const { applySchema } = await import('../sinks/index.js');
        await applySchema(config, ctx.logger(), (m) => out.progress(m));
      }
      out.result(status, statusText);
    });
  stack
    .command('down')
    .description('stop what `stack up` started (external endpoints are left alone); data is kept')
    .addOption(jsonOption())
    .action(async (flags: { json?: boolean }) => {
      const { stackDown } = await import('./stack/index.js');
      const out = ctx.output(flags);
      const r = await stackDown(ctx.config(), (m) => out.progress(m));
      out.result(r, (d) => (d.stopped.length ? `stopped: ${d.stopped.join(', ')}` : 'nothing was running'));
    });
  stack
    .command('status')
    .description('state, version, pid and log file of each service (exit code 1 when one is down)')
    .addOption(jsonOption())
    .action(async (flags: { json?: boolean }) => {
      const { stackStatus } = await import('./stack/index.js');
      const out = ctx.output(flags);
      const s = await stackStatus(ctx.config());
      out.result(s, statusText);
      if (s.services.some((x) => x.state === 'down')) process.exitCode = 1;
    });

  program
    .command('demo')
    .description('bring up the stack and run the whole loop (agents, processors, API, models) live')
    .addOption(
      new Option('--duration <seconds>', 'stop after this many seconds (default: until Ctrl-C)').argParser(intFlag('duration', 1, 86_400)),
    )
    .addOption(jsonOption())
    .action(async (flags: { duration?: number; json?: boolean }) => {
      const { runDemo } = await import('./demo/index.js');
      await runDemo(ctx, flags);
    });
}
