/** `pulse serve`: the API and (unless --no-engine) the directive engine, until SIGINT/SIGTERM. */
import type { CliContext } from '../../common/cli/context.js';
import { PulseError } from '../../common/errors.js';
import { dashboardExtension } from '../dashboard/index.js';
import { loadPredictor } from '../predict/load.js';
import { createRuntime } from './runtime.js';
import { untilSignal } from './signals.js';

/** Runs the server. */
export async function serve(ctx: CliContext, flags: { port?: number; engine: boolean }): Promise<void> {
  const config = ctx.config();
  const logger = ctx.logger();
  const metrics = ctx.metrics();
  const out = ctx.output({});
  const model = await loadPredictor({ config, logger, metrics });
  const runtime = await createRuntime(config, logger, metrics, {
    app: true,
    engine: flags.engine,
    predictor: model.predictor,
    extensions: ({ clickhouse }) => [dashboardExtension({ clickhouse, config, logger })],
  });
  const app = runtime.app;
  if (!app) throw new PulseError('PULSE_ERR_INTERNAL', 'runtime built no app');
  const address = await app.listen({ host: config.api.host, port: flags.port ?? config.api.port });
  out.progress(`API listening on ${address} (OpenAPI UI ${address}/docs, dashboard ${address}/dashboard)`);
  if (runtime.generatedToken) out.progress(`api.tokens is unset: generated local token (read+write+ingest): ${runtime.generatedToken}`);
  if (runtime.engine) out.progress(`directive engine running every ${config.directives.intervalMs} ms`);
  await untilSignal();
  out.progress('stopping');
  await runtime.close();
  await model.close();
}
