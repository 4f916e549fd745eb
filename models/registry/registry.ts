/**
 * The model registry: artefacts on disk (see artefacts.ts), metadata and metrics in ClickHouse
 * `model_versions`. The champion is the version whose latest row has status `champion` with the
 * newest `promoted_at_ms`; promoting a version retires the previous champion.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { SinkWriteError } from '../../common/errors.js';
import { ident, sql } from '../../sinks/index.js';
import type { Comparison } from '../eval/evaluate.js';
import type { ModelBundle } from '../nn/bundle.js';
import { loadBundle, saveBundle } from './artefacts.js';

/** Status of a version. */
export type VersionStatus = 'champion' | 'challenger' | 'retired';

/** A row of `model_versions`. */
export interface ModelVersionRow {
  version: string;
  status: VersionStatus;
  created_at_ms: number;
  promoted_at_ms: number;
  feature_version: number;
  backend: string;
  trained_rows: number;
  train_from_ms: number;
  train_to_ms: number;
  holdout_rows: number;
  holdout_from_ms: number;
  holdout_to_ms: number;
  artefact_dir: string;
  duration_mae_ms: number;
  baseline_duration_mae_ms: number;
  failure_f1: number;
  baseline_failure_f1: number;
  failure_pr_auc: number;
  metrics_json: string;
  champion_metrics_json: string;
  decision: string;
}

/** What is recorded about the evaluation of a new version. */
export interface Registration {
  bundle: ModelBundle;
  holdout: { rows: number; fromMs: number; toMs: number };
  comparison: Comparison;
  /** The champion's metrics on the same window (absent when there was no champion). */
  championComparison?: Comparison;
  promote: boolean;
  decision: string;
}

/** Collaborators of {@link createRegistry}. */
export interface RegistryDeps {
  clickhouse: ClickHouseClient;
  database: string;
  dataDir: string;
  now?: () => number;
}

/** The registry API. */
export interface ModelRegistry {
  /** Saves artefacts, records the version, and promotes it when `promote` (retiring the old champion). */
  register(r: Registration): Promise<ModelVersionRow>;
  /** The current champion, if any. */
  champion(): Promise<ModelVersionRow | undefined>;
  /** Latest versions first. */
  list(limit?: number): Promise<ModelVersionRow[]>;
  /** Loads a version's artefacts. */
  load(version: string): Promise<ModelBundle>;
}

const NUMERIC: (keyof ModelVersionRow)[] = [
  'created_at_ms',
  'promoted_at_ms',
  'feature_version',
  'trained_rows',
  'train_from_ms',
  'train_to_ms',
  'holdout_rows',
  'holdout_from_ms',
  'holdout_to_ms',
  'duration_mae_ms',
  'baseline_duration_mae_ms',
  'failure_f1',
  'baseline_failure_f1',
  'failure_pr_auc',
];

function fromJson(r: Record<string, unknown>): ModelVersionRow {
  const out = { ...r } as Record<string, unknown>;
  for (const k of NUMERIC) out[k] = Number(r[k]);
  return out as unknown as ModelVersionRow;
}

/** Creates the registry. */
export function createRegistry(deps: RegistryDeps): ModelRegistry {
  const table = ident(`${deps.database}.model_versions`);
  const now = deps.now ?? Date.now;
  const columns = `version, status, created_at_ms, promoted_at_ms, feature_version, backend, trained_rows, train_from_ms, train_to_ms,
    holdout_rows, holdout_from_ms, holdout_to_ms, artefact_dir, duration_mae_ms, baseline_duration_mae_ms, failure_f1,
    baseline_failure_f1, failure_pr_auc, metrics_json, champion_metrics_json, decision`;
  async function insert(row: ModelVersionRow): Promise<void> {
    const t = now();
    try {
      await deps.clickhouse.insert({
        table: table.text,
        format: 'JSONEachRow',
        values: [{ ...row, created_at: Math.floor(row.created_at_ms / 1000), updated_at_ms: t }],
      });
    } catch (err) {
      throw new SinkWriteError('model_versions', (err as Error).message, { cause: err });
    }
  }
  async function select(where: string, limit: number): Promise<ModelVersionRow[]> {
    const rs = await deps.clickhouse.query({
      query: `SELECT ${columns} FROM ${table.text} FINAL ${where} ORDER BY created_at_ms DESC, version DESC LIMIT ${limit}`,
      format: 'JSONEachRow',
    });
    return (await rs.json<Record<string, unknown>>()).map(fromJson);
  }
  const registry: ModelRegistry = {
    async register(r) {
      const champion = r.promote ? await registry.champion() : undefined;
      const dir = await saveBundle(deps.dataDir, r.bundle);
      const m = r.bundle.meta;
      const t = now();
      const row: ModelVersionRow = {
        version: m.version,
        status: r.promote ? 'champion' : 'challenger',
        created_at_ms: m.createdAtMs,
        promoted_at_ms: r.promote ? t : 0,
        feature_version: m.featureVersion,
        backend: m.backend,
        trained_rows: m.trainedRows,
        train_from_ms: m.trainFromMs,
        train_to_ms: m.trainToMs,
        holdout_rows: r.holdout.rows,
        holdout_from_ms: r.holdout.fromMs,
        holdout_to_ms: r.holdout.toMs,
        artefact_dir: dir,
        duration_mae_ms: r.comparison.model.duration_mae_ms,
        baseline_duration_mae_ms: r.comparison.baseline.duration_mae_ms,
        failure_f1: r.comparison.model.failure_f1,
        baseline_failure_f1: r.comparison.baseline.failure_f1,
        failure_pr_auc: r.comparison.model.failure_pr_auc,
        metrics_json: JSON.stringify(r.comparison),
        champion_metrics_json: r.championComparison ? JSON.stringify(r.championComparison) : '',
        decision: r.decision,
      };
      await insert(row);
      if (champion && champion.version !== m.version) await insert({ ...champion, status: 'retired' });
      return row;
    },
    async champion() {
      const rows = await deps.clickhouse.query({
        query: sql`SELECT version FROM ${table} FINAL WHERE status = ${'champion'} ORDER BY promoted_at_ms DESC LIMIT 1`.text,
        format: 'JSONEachRow',
      });
      const top = (await rows.json<{ version: string }>())[0];
      if (!top) return undefined;
      return (await select(sql`WHERE version = ${top.version}`.text, 1))[0];
    },
    list(limit = 20) {
      return select('', Math.max(1, Math.floor(limit)));
    },
    load(version) {
      return loadBundle(deps.dataDir, version);
    },
  };
  return registry;
}
