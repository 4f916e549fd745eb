/**
 * Directives issued by the directive engine (`directives`, ReplacingMergeTree read with FINAL), their
 * acknowledgements (`directive_acks`) and their measured effect, plus the desired-slots step series.
 */
import type { ClickHouseClient } from '../../../sinks/index.js';
import { sql } from '../../../sinks/index.js';
import { queryRows, type Catalog } from '../catalog.js';
import type { DirectiveView, Point } from '../types.js';
import { num, num0, str, tableRef } from './columns.js';

/** How many directives the page lists. */
export const DIRECTIVE_LIMIT = 40;

/** Latest directives with ack counts; undefined when the table does not exist. */
export async function readDirectives(clickhouse: ClickHouseClient, catalog: Catalog): Promise<DirectiveView[] | undefined> {
  if (!catalog.has('directives')) return undefined;
  const rows = await queryRows<Record<string, unknown>>(
    clickhouse,
    sql`SELECT directive_id, pool, kind, source, issued_at, desired_slots, warm_combinations, reason_text, effect_status,
               queue_wait_p95_before_ms, queue_wait_p95_after_ms, hit_ratio_before, hit_ratio_after
        FROM ${tableRef(catalog, 'directives')} FINAL
        ORDER BY issued_at DESC
        LIMIT ${DIRECTIVE_LIMIT}`,
  );
  const acks = new Map<string, { applied: number; rejected: number }>();
  if (catalog.has('directive_acks') && rows.length > 0) {
    const ids = rows.map((r) => str(r.directive_id));
    const ackRows = await queryRows<{ directive_id: string; applied: string; rejected: string }>(
      clickhouse,
      sql`SELECT directive_id, countIf(upper(status) = 'APPLIED') AS applied, countIf(upper(status) != 'APPLIED') AS rejected
          FROM ${tableRef(catalog, 'directive_acks')} FINAL
          WHERE has(${ids}, directive_id)
          GROUP BY directive_id`,
    );
    for (const a of ackRows) acks.set(a.directive_id, { applied: num0(a.applied), rejected: num0(a.rejected) });
  }
  return rows.map((r) => {
    const id = str(r.directive_id);
    return {
      directive_id: id,
      pool: str(r.pool),
      kind: str(r.kind),
      source: str(r.source),
      issued_at: num0(r.issued_at),
      desired_slots: num(r.desired_slots),
      warm: Array.isArray(r.warm_combinations) ? r.warm_combinations.map(str) : [],
      reason_text: str(r.reason_text),
      acks: acks.get(id)?.applied ?? 0,
      acks_rejected: acks.get(id)?.rejected ?? 0,
      effect_status: str(r.effect_status),
      queue_wait_p95_before_ms: num(r.queue_wait_p95_before_ms),
      queue_wait_p95_after_ms: num(r.queue_wait_p95_after_ms),
      hit_ratio_before: num(r.hit_ratio_before),
      hit_ratio_after: num(r.hit_ratio_after),
    };
  });
}

/**
 * Desired slots per pool as a step series over [from, to]: the value in force at `from` (the latest
 * scaling directive issued before it) followed by every scaling directive issued inside the range.
 */
export async function readDesiredSlots(
  clickhouse: ClickHouseClient,
  catalog: Catalog,
  from: number,
  to: number,
): Promise<Map<string, Point[]>> {
  const out = new Map<string, Point[]>();
  if (!catalog.has('directives')) return out;
  const ref = tableRef(catalog, 'directives');
  const rows = await queryRows<{ pool: string; t: string; v: number | string }>(
    clickhouse,
    sql`SELECT pool, toUInt64(${from}) AS t, argMax(desired_slots, issued_at) AS v
        FROM ${ref} FINAL
        WHERE upper(kind) = 'SCALING' AND desired_slots IS NOT NULL AND issued_at < ${from}
        GROUP BY pool
        UNION ALL
        SELECT pool, issued_at AS t, desired_slots AS v
        FROM ${ref} FINAL
        WHERE upper(kind) = 'SCALING' AND desired_slots IS NOT NULL AND issued_at >= ${from} AND issued_at <= ${to}`,
  );
  for (const r of rows) {
    let pts = out.get(r.pool);
    if (!pts) out.set(r.pool, (pts = []));
    pts.push({ t: num0(r.t), v: num(r.v) });
  }
  for (const pts of out.values()) pts.sort((a, b) => a.t - b.t);
  return out;
}
