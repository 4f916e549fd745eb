/**
 * `pulse train`: reads history from ClickHouse, replays it into features, splits by time (the latest
 * share of builds is the held-out window; training uses only builds finished before it starts), trains,
 * evaluates beside the baselines and the current champion on the same window, and registers the version.
 */
import { randomBytes } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../common/config.js';
import { InputError, ModelLoadError } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { Metrics } from '../common/metrics.js';
import { initBackend, recordTensorCount } from './backend.js';
import { loadHistory } from './data/load-history.js';
import { decideChampion } from './eval/champion.js';
import { compare, type Comparison } from './eval/evaluate.js';
import { buildDataset, type Dataset } from './features/dataset.js';
import type { HistoryRecord } from './features/types.js';
import { FEATURE_DIM } from './features/vector.js';
import type { ModelBundle } from './nn/bundle.js';
import { gatherRows, trainBundle } from './nn/trainer.js';
import { createRegistry, type ModelVersionRow } from './registry/registry.js';

/** Collaborators of {@link runTraining}. */
export interface TrainDeps {
  config: Config;
  clickhouse: ClickHouseClient;
  logger: Logger;
  metrics?: Metrics;
  progress?: (message: string) => void;
  now?: () => number;
}

/** Options of {@link runTraining}. */
export interface TrainRunOptions {
  sinceMs?: number;
  /** Share of the latest builds held out (default 0.2). */
  holdoutShare?: number;
  epochs?: number;
  maxRows?: number;
  /** Fewest finished builds to train on (default 200). */
  minRows?: number;
  /** History to train on instead of ClickHouse `build_events` (e.g. a history CSV; `sinceMs`/`maxRows` still apply). */
  records?: HistoryRecord[];
}

/** What a training run did. */
export interface TrainResult {
  version: string;
  backend: string;
  historyRows: number;
  trainRows: number;
  holdout: { rows: number; fromMs: number; toMs: number };
  comparison: Comparison;
  champion?: { version: string; comparison: Comparison };
  promoted: boolean;
  decision: string;
  seconds: number;
  row: ModelVersionRow;
}

/** A new version id: time-ordered and unique. */
export function newVersion(now: number): string {
  return `v${new Date(now).toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`;
}

/** Text progress bar. */
export function bar(done: number, total: number, width = 24): string {
  const k = Math.round((Math.min(done, total) / Math.max(1, total)) * width);
  return `[${'#'.repeat(k)}${'.'.repeat(width - k)}] ${Math.round((100 * done) / Math.max(1, total))}%`;
}

/** Splits start-ordered dataset rows: held-out = latest share; train = rows finished before it starts. */
export function timeSplit(ds: Dataset, holdoutShare: number): { train: number[]; holdout: number[] } {
  const first = Math.max(1, Math.min(ds.n - 1, Math.floor(ds.n * (1 - holdoutShare))));
  const cut = ds.startedAt[first] as number;
  const train: number[] = [];
  const holdout: number[] = [];
  for (let i = 0; i < ds.n; i++) {
    if (i >= first) holdout.push(i);
    else if ((ds.finishedAt[i] as number) <= cut) train.push(i);
  }
  return { train, holdout };
}

/** Predictions of `bundle` for dataset rows, compared with the baselines. */
export function evaluateRows(bundle: ModelBundle, ds: Dataset, rows: number[]): Comparison {
  const out = bundle.predict(gatherRows(ds, rows), rows.length);
  return compare(ds, rows, { ...out, threshold: bundle.meta.threshold });
}

/** Runs one training: train, evaluate, champion/challenger, register. */
export async function runTraining(deps: TrainDeps, o: TrainRunOptions = {}): Promise<TrainResult> {
  const now = deps.now ?? Date.now;
  const t0 = now();
  const progress = deps.progress ?? (() => undefined);
  const backend = await initBackend({ logger: deps.logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) });
  progress(
    o.records
      ? `backend ${backend}; history from ${o.records.length} given builds`
      : `backend ${backend}; reading history from ${deps.config.clickhouse.database}.build_events`,
  );
  const records = await loadHistory({
    ...(o.records ? { records: o.records } : {}),
    ...(o.sinceMs !== undefined ? { sinceMs: o.sinceMs } : {}),
    clickhouse: deps.clickhouse,
    database: deps.config.clickhouse.database,
    limit: o.maxRows ?? deps.config.models.maxTrainRows,
  });
  const minRows = o.minRows ?? 200;
  if (records.length < minRows)
    throw new InputError('history', `only ${records.length} finished builds in the history (need at least ${minRows})`);
  const ds = buildDataset(records, { onProgress: (d, t) => progress(`features ${bar(d, t)} ${d}/${t}`) });
  const { train, holdout } = timeSplit(ds, o.holdoutShare ?? 0.2);
  const version = newVersion(now());
  progress(`training ${version} on ${train.length} builds, holding out ${holdout.length}`);
  const bundle = await trainBundle(ds, train, {
    version,
    backend,
    ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
    onEpoch: (net, e, n, loss) => progress(`${net.padEnd(8)} ${bar(e, n)} epoch ${e}/${n} loss ${loss.toFixed(4)}`),
    now,
  });
  try {
    const comparison = evaluateRows(bundle, ds, holdout);
    const registry = createRegistry({
      clickhouse: deps.clickhouse,
      database: deps.config.clickhouse.database,
      dataDir: deps.config.dataDir,
      now,
    });
    const current = await registry.champion();
    let champion: TrainResult['champion'];
    if (current) {
      try {
        const old = await registry.load(current.version);
        try {
          champion = { version: current.version, comparison: evaluateRows(old, ds, holdout) };
        } finally {
          old.dispose();
        }
      } catch (err) {
        if (!(err instanceof ModelLoadError)) throw err;
        deps.logger.warn({ err: err.message, version: current.version }, 'champion cannot be loaded; the new version replaces it');
      }
    }
    const decision = decideChampion(comparison, champion?.comparison);
    const fromMs = ds.startedAt[holdout[0] as number] as number;
    const toMs = ds.startedAt[holdout[holdout.length - 1] as number] as number;
    const row = await registry.register({
      bundle,
      holdout: { rows: holdout.length, fromMs, toMs },
      comparison,
      ...(champion ? { championComparison: champion.comparison } : {}),
      promote: decision.promote,
      decision: decision.reason,
    });
    progress(`${decision.promote ? 'promoted' : 'kept as challenger'} ${version}: ${decision.reason}`);
    return {
      version,
      backend,
      historyRows: records.length,
      trainRows: train.length,
      holdout: { rows: holdout.length, fromMs, toMs },
      comparison,
      ...(champion ? { champion } : {}),
      promoted: decision.promote,
      decision: decision.reason,
      seconds: (now() - t0) / 1000,
      row,
    };
  } finally {
    bundle.dispose();
    recordTensorCount(deps.metrics);
    void FEATURE_DIM;
  }
}
