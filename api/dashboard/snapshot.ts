/**
 * Builds one {@link Snapshot} of the page from ClickHouse. Each section is read on its own: a table
 * that does not exist yet, an empty table or a failed query gives that section a message, never
 * invented numbers, and never breaks the other sections.
 */
import type { ClickHouseClient } from '../../sinks/index.js';
import type { Logger } from '../../common/logger.js';
import { loadCatalog, type Catalog } from './catalog.js';
import type { RangeSpec } from './ranges.js';
import type { FleetView, PoolView, Section, Snapshot } from './types.js';
import { errorText } from './queries/columns.js';
import { featureTable, readPoolSeries, type PoolSeriesResult } from './queries/pools.js';
import { readDesiredSlots, readDirectives } from './queries/directives.js';
import { readPredictedDurations } from './queries/predicted.js';
import { readAlerts } from './queries/alerts.js';
import { readModels } from './queries/models.js';
import { readRowCounts } from './queries/row-counts.js';

/** Collaborators of {@link buildSnapshot}. */
export interface SnapshotDeps {
  clickhouse: ClickHouseClient;
  database: string;
  logger: Logger;
  now: () => number;
}

async function section<T, E>(
  logger: Logger,
  name: string,
  empty: E,
  read: () => Promise<T | undefined>,
  missing: string,
  isEmpty: (v: T) => boolean,
  emptyText: string,
): Promise<Section<T | E>> {
  try {
    const data = await read();
    if (data === undefined) return { available: false, message: missing, data: empty };
    if (isEmpty(data)) return { available: false, message: emptyText, data };
    return { available: true, data };
  } catch (err) {
    logger.warn({ err, section: name }, 'dashboard query failed');
    return { available: false, message: `query failed: ${errorText(err)}`, data: empty };
  }
}

/** Reads everything the page shows for `range`. */
export async function buildSnapshot(deps: SnapshotDeps, range: RangeSpec): Promise<Snapshot> {
  const { clickhouse, logger } = deps;
  const generated_at = deps.now();
  const base = { generated_at, database: deps.database, range: range.id, window: range.window };
  let catalog: Catalog;
  try {
    catalog = await loadCatalog(clickhouse, deps.database);
  } catch (err) {
    const message = `ClickHouse not reachable: ${errorText(err)}`;
    const none = { available: false, message };
    return {
      ...base,
      fleet: { ...none, data: null },
      pools: { ...none, data: [] },
      alerts: { ...none, data: [] },
      directives: { ...none, data: [] },
      models: { ...none, data: [] },
    };
  }
  if (catalog.has('pulse_info') === false && !catalog.has(featureTable(range))) {
    const message = `database ${deps.database} has no Pulse tables yet (run \`pulse migrate\`)`;
    const none = { available: false, message };
    return {
      ...base,
      fleet: { ...none, data: null },
      pools: { ...none, data: [] },
      alerts: { ...none, data: [] },
      directives: { ...none, data: [] },
      models: { ...none, data: [] },
    };
  }

  let series: PoolSeriesResult | undefined;
  const pools = await section(
    logger,
    'pools',
    [] as PoolView[],
    async () => {
      series = await readPoolSeries(clickhouse, catalog, range);
      if (!series) return undefined;
      if (series.from !== null && series.to !== null) await addJoinedSeries(deps, catalog, series, range);
      return series.pools;
    },
    `no data yet: table ${featureTable(range)} does not exist (the stream processors create it)`,
    (p) => p.length === 0,
    `no data yet: ${featureTable(range)} has no rows (start the processors and some executors or the simulator)`,
  );
  const [fleet, alerts, directives, models] = await Promise.all([
    section(
      logger,
      'fleet',
      null,
      async () => fleetOf(pools.data, series, await readRowCounts(clickhouse, catalog)),
      '',
      () => false,
      '',
    ),
    section(
      logger,
      'alerts',
      [],
      () => readAlerts(clickhouse, catalog),
      'no data yet: table alerts does not exist (the anomaly detectors create it)',
      (a) => a.length === 0,
      'no alerts so far',
    ),
    section(
      logger,
      'directives',
      [],
      () => readDirectives(clickhouse, catalog),
      'no data yet: table directives does not exist (the directive engine creates it)',
      (d) => d.length === 0,
      'no directives issued so far',
    ),
    section(
      logger,
      'models',
      [],
      () => readModels(clickhouse, catalog),
      'no data yet: table model_versions does not exist (model training creates it)',
      (m) => m.length === 0,
      'no model trained yet (run `pulse train`)',
    ),
  ]);
  return { ...base, fleet, pools, alerts, directives, models };
}

async function addJoinedSeries(deps: SnapshotDeps, catalog: Catalog, series: PoolSeriesResult, range: RangeSpec): Promise<void> {
  const from = series.from ?? 0;
  const to = series.to ?? 0;
  const [predicted, desired] = await Promise.all([
    readPredictedDurations(deps.clickhouse, catalog, from, to, range.windowMs).catch((err: unknown) => {
      deps.logger.warn({ err }, 'dashboard: predictions query failed');
      return new Map<string, never[]>();
    }),
    readDesiredSlots(deps.clickhouse, catalog, from, to + range.windowMs).catch((err: unknown) => {
      deps.logger.warn({ err }, 'dashboard: desired slots query failed');
      return new Map<string, never[]>();
    }),
  ]);
  for (const p of series.pools) {
    const pred = predicted.get(p.pool);
    if (pred?.length) p.series.predicted_duration_ms = pred;
    const want = desired.get(p.pool);
    if (want?.length) p.series.slots_desired = want;
  }
}

function fleetOf(pools: readonly PoolView[], series: PoolSeriesResult | undefined, rowCounts: Record<string, number>): FleetView {
  let finished = 0;
  let failed = 0;
  let hits = 0;
  let misses = 0;
  let qmax: number | null = null;
  for (const p of pools) {
    finished += p.totals.builds_finished;
    failed += p.totals.builds_failed;
    hits += p.totals.cache_hits;
    misses += p.totals.cache_misses;
    for (const pt of p.series.queue_wait_p95_ms ?? []) if (pt.v !== null) qmax = Math.max(qmax ?? 0, pt.v);
  }
  return {
    pools: pools.length,
    builds_finished: finished,
    builds_failed: failed,
    failure_rate: finished > 0 ? failed / finished : null,
    cache_hit_ratio: hits + misses > 0 ? hits / (hits + misses) : null,
    queue_wait_p95_ms_max: qmax,
    latest_window: series?.to ?? null,
    row_counts: rowCounts,
  };
}
