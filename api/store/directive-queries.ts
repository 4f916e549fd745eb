/** Directives with their acks and measured effect (`directives`, `directive_acks`, migrations 03xx). */
import { ident, joinSql, raw, sql, type ClickHouseClient, type SqlFragment } from '../../sinks/index.js';
import { num, numOrNull, selectRows } from './query.js';
import type { AckRow, DirectiveQuery, DirectiveView } from './types.js';

interface RawDirective {
  directive_id: string;
  pool: string;
  kind: string;
  source: string;
  policy: string;
  issued_at: string;
  valid_until: string;
  desired_slots: number | null;
  warm_combinations: string[];
  warm_saving_ms: number[];
  reason_keys: string[];
  reason_values: number[];
  reason_text: string;
  topic: string;
  effect_status: string;
  effect_measured_at: string;
  effect_window_ms: string;
  queue_wait_p95_before_ms: number | null;
  queue_wait_p95_after_ms: number | null;
  hit_ratio_before: number | null;
  hit_ratio_after: number | null;
}

function toView(r: RawDirective, acks: AckRow[]): DirectiveView {
  const measured = r.effect_status !== 'pending' && num(r.effect_measured_at) > 0;
  return {
    directive_id: r.directive_id,
    pool: r.pool,
    kind: r.kind,
    source: r.source,
    policy: r.policy,
    issued_at: num(r.issued_at),
    valid_until: num(r.valid_until),
    desired_slots: numOrNull(r.desired_slots),
    warm: r.warm_combinations.map((c, i) => ({ combination: c === '' ? [] : c.split(';'), expected_saving_ms: r.warm_saving_ms[i] ?? 0 })),
    reason: Object.fromEntries(r.reason_keys.map((k, i) => [k, r.reason_values[i] ?? 0])),
    reason_text: r.reason_text,
    topic: r.topic,
    acks,
    effect: {
      status: r.effect_status,
      measured_at: measured ? num(r.effect_measured_at) : null,
      window_ms: measured ? num(r.effect_window_ms) : null,
      queue_wait_p95_before_ms: numOrNull(r.queue_wait_p95_before_ms),
      queue_wait_p95_after_ms: numOrNull(r.queue_wait_p95_after_ms),
      hit_ratio_before: numOrNull(r.hit_ratio_before),
      hit_ratio_after: numOrNull(r.hit_ratio_after),
    },
  };
}

const COLUMNS = raw(
  'directive_id, pool, kind, source, policy, issued_at, valid_until, desired_slots, warm_combinations, warm_saving_ms, ' +
    'reason_keys, reason_values, reason_text, topic, effect_status, effect_measured_at, effect_window_ms, ' +
    'queue_wait_p95_before_ms, queue_wait_p95_after_ms, hit_ratio_before, hit_ratio_after',
);

/** Directive queries over one database. */
export function directiveQueries(client: ClickHouseClient, database: string) {
  const db = ident(database);
  const acksFor = async (ids: string[]): Promise<Map<string, AckRow[]>> => {
    const byId = new Map<string, AckRow[]>();
    if (ids.length === 0) return byId;
    const rows = await selectRows<{ directive_id: string; executor: string; status: string; reason: string; acked_at: string }>(
      client,
      sql`SELECT directive_id, executor, status, reason, acked_at FROM ${db}.directive_acks FINAL
        WHERE directive_id IN (${joinSql(ids.map((id) => sql`${id}`))}) ORDER BY acked_at`,
    );
    for (const r of rows) {
      const list = byId.get(r.directive_id) ?? [];
      list.push({ executor: r.executor, status: r.status, reason: r.reason, acked_at: num(r.acked_at) });
      byId.set(r.directive_id, list);
    }
    return byId;
  };
  const list = async (conds: SqlFragment[], limit: number): Promise<DirectiveView[]> => {
    const filter = conds.length === 0 ? raw('') : sql`WHERE ${joinSql(conds, ' AND ')}`;
    const rows = await selectRows<RawDirective>(
      client,
      sql`SELECT ${COLUMNS} FROM ${db}.directives FINAL ${filter} ORDER BY issued_at DESC, directive_id LIMIT ${limit}`,
    );
    const acks = await acksFor(rows.map((r) => r.directive_id));
    return rows.map((r) => toView(r, acks.get(r.directive_id) ?? []));
  };
  return {
    async directives(q: DirectiveQuery): Promise<DirectiveView[]> {
      const conds: SqlFragment[] = [];
      if (q.pool !== undefined) conds.push(sql`pool = ${q.pool}`);
      if (q.kind !== undefined) conds.push(sql`kind = ${q.kind}`);
      if (q.source !== undefined) conds.push(sql`source = ${q.source}`);
      if (q.from !== undefined) conds.push(sql`issued_at >= ${q.from}`);
      return list(conds, q.limit);
    },
    async directive(id: string): Promise<DirectiveView | undefined> {
      return (await list([sql`directive_id = ${id}`], 1))[0];
    },
  };
}
