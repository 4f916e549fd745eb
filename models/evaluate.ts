/**
 * `pulse evaluate`: scores a registered version (default: the champion) on its held-out window —
 * re-read from ClickHouse and replayed through the same features — beside the baselines.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../common/config.js';
import { NotFoundError } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { Metrics } from '../common/metrics.js';
import { initBackend, recordTensorCount } from './backend.js';
import { loadHistory } from './data/load-history.js';
import type { Comparison } from './eval/evaluate.js';
import { buildDataset } from './features/dataset.js';
import { createRegistry } from './registry/registry.js';
import type { HistoryRecord } from './features/types.js';
import { bar, evaluateRows, timeSplit } from './train.js';

/** What `pulse evaluate` reports. */
export interface EvaluateResult {
  version: string;
  status: string;
  backend: string;
  window: { rows: number; fromMs: number; toMs: number };
  comparison: Comparison;
}

/** Evaluates `version` (default: the champion) on its held-out window (history from ClickHouse, or `o.records`). */
export async function runEvaluate(
  deps: { config: Config; clickhouse: ClickHouseClient; logger: Logger; metrics?: Metrics; progress?: (m: string) => void },
  o: { version?: string; records?: HistoryRecord[] } = {},
): Promise<EvaluateResult> {
  const progress = deps.progress ?? (() => undefined);
  const backend = await initBackend({ logger: deps.logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) });
  const registry = createRegistry({ clickhouse: deps.clickhouse, database: deps.config.clickhouse.database, dataDir: deps.config.dataDir });
  const row = o.version ? (await registry.list(1000)).find((r) => r.version === o.version) : await registry.champion();
  if (!row) throw new NotFoundError('model version', o.version ?? 'champion');
  const records = await loadHistory({
    ...(o.records ? { records: o.records } : {}),
    clickhouse: deps.clickhouse,
    database: deps.config.clickhouse.database,
    limit: deps.config.models.maxTrainRows,
  });
  const ds = buildDataset(records, { onProgress: (d, t) => progress(`features ${bar(d, t)} ${d}/${t}`) });
  let rows: number[] = [];
  for (let i = 0; i < ds.n; i++) {
    const t = ds.startedAt[i] as number;
    if (t >= row.holdout_from_ms && t <= row.holdout_to_ms) rows.push(i);
  }
  if (rows.length === 0) rows = timeSplit(ds, 0.2).holdout;
  const bundle = await registry.load(row.version);
  try {
    const comparison = evaluateRows(bundle, ds, rows);
    return {
      version: row.version,
      status: row.status,
      backend,
      window: {
        rows: rows.length,
        fromMs: ds.startedAt[rows[0] as number] as number,
        toMs: ds.startedAt[rows[rows.length - 1] as number] as number,
      },
      comparison,
    };
  } finally {
    bundle.dispose();
    recordTensorCount(deps.metrics);
  }
}
