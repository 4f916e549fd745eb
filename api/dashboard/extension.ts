/** The dashboard as an `AppExtension` of `buildApp` (api/app.ts `deps.extensions`). */
import type { FastifyInstance } from 'fastify';
import { dashboardPlugin, type DashboardOptions } from './plugin.js';

/**
 * Returns an extension for `buildApp({ ..., extensions: [dashboardExtension({ clickhouse, config, logger })] })`.
 * The dashboard's routes are read-only and open (no token), like /health.
 */
export function dashboardExtension(options: DashboardOptions): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    await app.register(dashboardPlugin, options);
  };
}
