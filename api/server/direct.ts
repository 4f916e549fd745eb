/** `pulse direct`: the directive engine alone (and its ack consumer), or one pass with --once. */
import type { CliContext } from '../../common/cli/context.js';
import { table } from '../../common/cli/output.js';
import { loadPredictor } from '../predict/load.js';
import { createRuntime } from './runtime.js';
import { untilSignal } from './signals.js';

/** Runs the engine. */
export async function direct(ctx: CliContext, flags: { once?: boolean; json?: boolean; policy?: string; cache?: string }): Promise<void> {
  const config = ctx.config();
  const logger = ctx.logger();
  const metrics = ctx.metrics();
  const out = ctx.output(flags);
  const model = await loadPredictor({ config, logger, metrics });
  const runtime = await createRuntime(config, logger, metrics, {
    app: false,
    engine: true,
    predictor: model.predictor,
    scalingPolicy: flags.policy,
    cachePolicy: flags.cache,
    startEngine: !flags.once,
  });
  try {
    const engine = runtime.engine;
    if (!engine) return;
    if (flags.once) {
      const r = await engine.tick();
      const issued = r.issued.map((i) => ({
        directive_id: i.directive.directive_id,
        pool: i.directive.pool,
        kind: i.directive.kind,
        desired_slots: i.directive.desired_slots,
        warm: i.directive.warm.length,
        topic: i.topic,
        reason: i.directive.reason_text,
      }));
      out.result({ pools: r.pools, effects_measured: r.effects, issued }, (d) =>
        [
          `pools observed: ${d.pools}, effects measured: ${d.effects_measured}, directives issued: ${d.issued.length}`,
          table([
            ['pool', 'kind', 'desired', 'warm', 'reason'],
            ...d.issued.map((i) => [i.pool, i.kind, i.desired_slots ?? '-', i.warm, i.reason]),
          ]),
        ].join('\n'),
      );
      return;
    }
    out.progress(`directive engine running every ${config.directives.intervalMs} ms (Ctrl-C to stop)`);
    await untilSignal();
    out.progress('stopping');
  } finally {
    await runtime.close();
    await model.close();
  }
}
