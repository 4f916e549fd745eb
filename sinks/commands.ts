/** CLI commands of the sinks part. */
import type { Command } from 'commander';
import { jsonOption, type CliContext } from '../common/cli/context.js';

export function registerCommands(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('create Kafka topics and apply ClickHouse migrations (idempotent)')
    .addOption(jsonOption())
    .action(async (flags: { json?: boolean }) => {
      const { applySchema } = await import('./schema.js');
      const out = ctx.output(flags);
      const r = await applySchema(ctx.config(), ctx.logger(), (m) => out.progress(m));
      out.result(
        {
          topicsCreated: r.topics.created,
          topicsExisting: r.topics.existing.length,
          database: r.clickhouse.database,
          migrationsApplied: r.clickhouse.applied,
          migrationsSkipped: r.clickhouse.skipped,
        },
        (d) =>
          `topics: ${d.topicsCreated.length} created, ${d.topicsExisting} existing\nclickhouse ${d.database}: ${d.migrationsApplied.length} migrations applied, ${d.migrationsSkipped} already applied`,
      );
    });
}
