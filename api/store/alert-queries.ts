/** Alerts (the alerting part's `alerts` table, migrations 04xx): the latest state of each alert. */
import { ident, joinSql, raw, sql, type ClickHouseClient, type SqlFragment } from '../../sinks/index.js';
import { num, selectRows } from './query.js';
import type { AlertQuery, AlertRow } from './types.js';

/** Alert queries over one database. */
export function alertQueries(client: ClickHouseClient, database: string) {
  const db = ident(database);
  return {
    async alerts(q: AlertQuery): Promise<AlertRow[]> {
      // entity/detector are fixed per alert (filter rows); state/severity change over its life (filter the latest).
      const rowConds: SqlFragment[] = [];
      if (q.entity !== undefined) rowConds.push(sql`entity = ${q.entity}`);
      if (q.detector !== undefined) rowConds.push(sql`detector = ${q.detector}`);
      const having: SqlFragment[] = [];
      if (q.state !== undefined) having.push(sql`cur_state = ${q.state}`);
      if (q.severity !== undefined) having.push(sql`cur_severity = ${q.severity}`);
      if (q.from !== undefined) having.push(sql`last_time >= ${q.from}`);
      const query = sql`SELECT alert_id, any(alert_key) AS key, any(detector) AS det, any(entity_type) AS etype, any(entity) AS ent,
          any(metric) AS met, argMax(severity, event_time_ms) AS cur_severity, argMax(state, event_time_ms) AS cur_state,
          argMax(score, event_time_ms) AS cur_score, argMax(value, event_time_ms) AS cur_value,
          argMax(expected_low, event_time_ms) AS low, argMax(expected_high, event_time_ms) AS high,
          min(started_at_ms) AS started, max(event_time_ms) AS last_time
        FROM ${db}.alerts FINAL ${rowConds.length ? sql`WHERE ${joinSql(rowConds, ' AND ')}` : raw('')}
        GROUP BY alert_id ${having.length ? sql`HAVING ${joinSql(having, ' AND ')}` : raw('')}
        ORDER BY last_time DESC, alert_id LIMIT ${q.limit}`;
      const rows = await selectRows<{
        alert_id: string;
        key: string;
        det: string;
        etype: string;
        ent: string;
        met: string;
        cur_severity: string;
        cur_state: string;
        cur_score: number;
        cur_value: number;
        low: number;
        high: number;
        started: string;
        last_time: string;
      }>(client, query);
      return rows.map((r) => ({
        alert_id: r.alert_id,
        alert_key: r.key,
        detector: r.det,
        entity_type: r.etype,
        entity: r.ent,
        metric: r.met,
        severity: r.cur_severity,
        state: r.cur_state,
        score: num(r.cur_score),
        value: num(r.cur_value),
        expected_low: num(r.low),
        expected_high: num(r.high),
        started_at: num(r.started),
        event_time: num(r.last_time),
      }));
    },
  };
}
