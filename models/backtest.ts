/**
 * `pulse backtest`: replays a history in start order. Every build is predicted from builds strictly
 * before it — features from the history state (outcomes enter at their finish time), model weights from
 * the last retrain, which saw only builds finished before the retrain point (test-then-train). The
 * models and both baselines are scored on the same rows, overall and per pool.
 */
import type { Logger } from '../common/logger.js';
import { InputError } from '../common/errors.js';
import type { Metrics } from '../common/metrics.js';
import { initBackend, recordTensorCount } from './backend.js';
import { compare, type Comparison } from './eval/evaluate.js';
import { buildDataset } from './features/dataset.js';
import { sortByStart } from './features/replay.js';
import type { HistoryRecord } from './features/types.js';
import { gatherRows, trainBundle } from './nn/trainer.js';
import { bar } from './train.js';

/** Options of {@link runBacktest}. */
export interface BacktestOptions {
  /** Retrain after this many builds (default: a sixth of the history, at most 50 000, at least 500). */
  retrainEvery?: number;
  /** Most recent finished builds a retrain uses (default 30 000). */
  trainWindow?: number;
  /** Epochs per network and retrain (default 4). */
  epochs?: number;
  progress?: (message: string) => void;
}

/** Per-pool result. */
export interface PoolResult extends Comparison {
  pool: string;
}

/** What a backtest reports. */
export interface BacktestResult {
  backend: string;
  rows: number;
  /** Rows scored (after the first training point). */
  scoredRows: number;
  retrains: number;
  retrainEvery: number;
  overall: Comparison;
  pools: PoolResult[];
  seconds: { features: number; training: number; scoring: number; total: number };
}

/** Runs a backtest over `records`. */
export async function runBacktest(
  records: HistoryRecord[],
  deps: { logger: Logger; metrics?: Metrics },
  o: BacktestOptions = {},
): Promise<BacktestResult> {
  const progress = o.progress ?? (() => undefined);
  const t0 = Date.now();
  const backend = await initBackend({ logger: deps.logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) });
  sortByStart(records);
  const ds = buildDataset(records, { onProgress: (d, t) => progress(`features ${bar(d, t)} ${d}/${t}`) });
  const tFeatures = Date.now();
  const every = o.retrainEvery ?? Math.max(500, Math.min(50_000, Math.floor(ds.n / 6)));
  if (ds.n < every + 100) throw new InputError('--input', `${ds.n} usable builds are too few to backtest with --retrain-every ${every}`);
  const windowRows = o.trainWindow ?? 30_000;
  const p50 = new Float64Array(ds.n);
  const p10 = new Float64Array(ds.n);
  const p90 = new Float64Array(ds.n);
  const prob = new Float64Array(ds.n);
  const decision = new Uint8Array(ds.n);
  let trainMs = 0;
  let scoreMs = 0;
  let retrains = 0;
  const segments = Math.max(1, Math.floor((ds.n - every) / every + 0.5));
  for (let s = every, e = 0; s < ds.n; s = e) {
    // A short tail joins the last segment instead of costing a retrain of its own.
    e = ds.n - (s + every) < every / 2 ? ds.n : s + every;
    const cut = ds.startedAt[s] as number;
    const eligible: number[] = [];
    for (let j = s - 1; j >= 0 && eligible.length < windowRows; j--) if ((ds.finishedAt[j] as number) <= cut) eligible.push(j);
    eligible.reverse();
    const tTrain = Date.now();
    const bundle = await trainBundle(ds, eligible, {
      version: `backtest-${retrains}`,
      backend,
      ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
    });
    retrains++;
    const tScore = Date.now();
    trainMs += tScore - tTrain;
    try {
      const rows = Array.from({ length: e - s }, (_, i) => s + i);
      const out = bundle.predict(gatherRows(ds, rows), rows.length);
      for (let i = 0; i < rows.length; i++) {
        p50[s + i] = out.p50[i] as number;
        p10[s + i] = out.p10[i] as number;
        p90[s + i] = out.p90[i] as number;
        prob[s + i] = out.failureProb[i] as number;
        decision[s + i] = (out.failureProb[i] as number) >= bundle.meta.threshold ? 1 : 0;
      }
    } finally {
      bundle.dispose();
      recordTensorCount(deps.metrics);
    }
    scoreMs += Date.now() - tScore;
    progress(`backtest ${bar(retrains, segments)} retrain ${retrains}/${segments} on ${eligible.length} builds, scored ${e - s}`);
  }
  const scored = Array.from({ length: ds.n - every }, (_, i) => every + i);
  const predictionsOf = (rows: number[]) => ({
    p50: Float64Array.from(rows, (r) => p50[r] as number),
    p10: Float64Array.from(rows, (r) => p10[r] as number),
    p90: Float64Array.from(rows, (r) => p90[r] as number),
    failureProb: Float64Array.from(rows, (r) => prob[r] as number),
    decision: Uint8Array.from(rows, (r) => decision[r] as number),
    threshold: 0.5,
  });
  const overall = compare(ds, scored, predictionsOf(scored));
  const byPool = new Map<string, number[]>();
  for (const r of scored) {
    const pool = ds.pool[r] as string;
    const list = byPool.get(pool);
    if (list) list.push(r);
    else byPool.set(pool, [r]);
  }
  const pools = [...byPool.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([pool, rows]) => ({ pool, ...compare(ds, rows, predictionsOf(rows)) }));
  const total = (Date.now() - t0) / 1000;
  return {
    backend,
    rows: ds.n,
    scoredRows: scored.length,
    retrains,
    retrainEvery: every,
    overall,
    pools,
    seconds: { features: (tFeatures - t0) / 1000, training: trainMs / 1000, scoring: scoreMs / 1000, total },
  };
}
