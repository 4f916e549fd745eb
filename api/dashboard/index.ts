/**
 * Public surface of the dashboard: a fastify plugin serving the live page and its data.
 *
 * Register it in `buildApp` (api/app.ts) without a prefix:
 * `await app.register(dashboardPlugin, { clickhouse, config, logger })` — then open
 * `http://<api.host>:<api.port>/dashboard`.
 */
export { dashboardPlugin, type DashboardOptions } from './plugin.js';
export { buildSnapshot, type SnapshotDeps } from './snapshot.js';
export { RANGES, RANGE_IDS, DEFAULT_RANGE, type RangeId, type RangeSpec } from './ranges.js';
export type { Snapshot, Section, PoolView, FleetView, AlertView, DirectiveView, ModelView, Point, SeriesId } from './types.js';
export { dashboardExtension } from './extension.js';
