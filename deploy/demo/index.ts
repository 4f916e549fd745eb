/**
 * `npm run demo`: brings up the stack and applies the schema, then runs the pipeline parts that exist.
 * Parts are added here as they land (see README "Status").
 */
import type { CliContext } from '../../common/cli/context.js';
import { stackUp } from '../stack/index.js';
import { applySchema } from '../../sinks/index.js';

/** Flags of `pulse demo`. */
export interface DemoFlags {
  duration?: number;
  json?: boolean;
}

/** Runs the demo. */
export async function runDemo(ctx: CliContext, flags: DemoFlags): Promise<void> {
  const out = ctx.output(flags);
  const config = ctx.config();
  out.progress('demo: bringing up the local stack');
  const status = await stackUp(config, (m) => out.progress(m));
  const schema = await applySchema(config, ctx.logger(), (m) => out.progress(m));
  out.result(
    {
      stack: status.services.map((s) => ({ name: s.name, state: s.state, version: s.version })),
      topics: schema.topics.created.length + schema.topics.existing.length,
      migrationsApplied: schema.clickhouse.applied.length,
    },
    (d) =>
      [
        'Factory Pulse demo: stack is up.',
        ...d.stack.map((s) => `  ${s.name.padEnd(10)} ${s.state} ${s.version ?? ''}`),
        `  topics: ${d.topics}, migrations applied now: ${d.migrationsApplied}`,
        `  analyst connection: clickhouse-client --user analyst --password <PULSE_ANALYST_PASSWORD> (http://127.0.0.1:8123)`,
      ].join('\n'),
  );
}
