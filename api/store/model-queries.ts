/** Model versions (the models part's `model_versions` table, migrations 02xx). */
import { ident, joinSql, raw, sql, type ClickHouseClient, type SqlFragment } from '../../sinks/index.js';
import { num, selectRows } from './query.js';
import type { ModelQuery, ModelVersionRow } from './types.js';

const METRICS = ['duration_mae_ms', 'baseline_duration_mae_ms', 'failure_f1', 'baseline_failure_f1', 'failure_pr_auc'] as const;

type RawModel = Record<(typeof METRICS)[number], number> & {
  version: string;
  status: string;
  created_at_ms: string;
  promoted_at_ms: string;
  backend: string;
  trained_rows: string;
  holdout_rows: string;
  decision: string;
};

/** Model version queries over one database. */
export function modelQueries(client: ClickHouseClient, database: string) {
  const db = ident(database);
  return {
    async modelVersions(q: ModelQuery): Promise<ModelVersionRow[]> {
      const conds: SqlFragment[] = [];
      if (q.status !== undefined) conds.push(sql`status = ${q.status}`);
      if (q.backend !== undefined) conds.push(sql`backend = ${q.backend}`);
      const query = sql`SELECT version, status, created_at_ms, promoted_at_ms, backend, trained_rows, holdout_rows, decision,
          ${raw(METRICS.join(', '))}
        FROM ${db}.model_versions FINAL ${conds.length ? sql`WHERE ${joinSql(conds, ' AND ')}` : raw('')}
        ORDER BY created_at_ms DESC, version DESC LIMIT ${q.limit}`;
      const rows = await selectRows<RawModel>(client, query);
      return rows.map((r) => ({
        version: r.version,
        status: r.status,
        created_at: num(r.created_at_ms),
        promoted_at: num(r.promoted_at_ms) > 0 ? num(r.promoted_at_ms) : null,
        backend: r.backend,
        trained_rows: num(r.trained_rows),
        holdout_rows: num(r.holdout_rows),
        metrics: Object.fromEntries(METRICS.map((m) => [m, num(r[m])])),
        decision: r.decision,
      }));
    },
  };
}
