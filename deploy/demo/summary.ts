/**
 * The demo's closing summary, read from ClickHouse (never from the demo's own counters): events
 * processed, builds by the real agents, alerts, directives issued and acknowledged, model metrics —
 * all restricted to this run (event time at or after the demo's start).
 */
import type { ClickHouseClient } from '../../sinks/index.js';
import { ident, sql, type SqlFragment } from '../../sinks/index.js';

/** What the demo did, as stored. `null`: the table does not exist in this checkout. */
export interface DemoSummary {
  database: string;
  sinceMs: number;
  eventsSinceMs: number;
  events: Record<string, number> | null;
  eventsTotal: number | null;
  buildsFinished: number | null;
  buildsByAgents: number | null;
  alertsFired: number | null;
  directivesIssued: number | null;
  directivesAcked: number | null;
  model: { version: string; metrics: Record<string, number | string> } | null;
}

const RAW_TABLES = ['build_events', 'cache_events', 'resource_events', 'test_results', 'sbom_documents'];

async function rows<T>(ch: ClickHouseClient, q: SqlFragment): Promise<T[]> {
  return (await ch.query({ query: q.text, format: 'JSONEachRow' })).json<T>();
}

async function count(ch: ClickHouseClient, q: SqlFragment): Promise<number> {
  const r = await rows<{ n: string | number }>(ch, q);
  return Number(r[0]?.n ?? 0);
}

/** Which rows belong to the run. */
export interface SummaryScope {
  /** Wall-clock start of the run: directives, acks, the real agents' builds. */
  sinceMs: number;
  /** Earliest event time of the run's events (the simulator's backfilled history starts before the run). */
  eventsSinceMs: number;
  /** Executor ids of the real agents. */
  agentExecutors: readonly string[];
}

/** Reads the summary of one run. */
export async function readSummary(ch: ClickHouseClient, database: string, scope: SummaryScope): Promise<DemoSummary> {
  const { sinceMs, agentExecutors } = scope;
  const tables = new Set(
    (await rows<{ name: string }>(ch, sql`SELECT name FROM system.tables WHERE database = ${database}`)).map((r) => r.name),
  );
  const t = (name: string): SqlFragment => ident(`${database}.${name}`);
  const evSince = scope.eventsSinceMs;
  const evSinceS = Math.floor(evSince / 1000);
  const summary: DemoSummary = {
    database,
    sinceMs,
    eventsSinceMs: evSince,
    events: null,
    eventsTotal: null,
    buildsFinished: null,
    buildsByAgents: null,
    alertsFired: null,
    directivesIssued: null,
    directivesAcked: null,
    model: null,
  };
  const present = RAW_TABLES.filter((n) => tables.has(n));
  if (present.length > 0) {
    summary.events = {};
    for (const n of present)
      summary.events[n] = await count(
        ch,
        sql`SELECT count() AS n FROM ${t(n)} FINAL WHERE ts >= toDateTime(${evSinceS}) AND event_time >= ${evSince}`,
      );
    summary.eventsTotal = Object.values(summary.events).reduce((a, b) => a + b, 0);
  }
  if (tables.has('build_events')) {
    const finished = sql`FROM ${t('build_events')} FINAL WHERE ts >= toDateTime(${evSinceS}) AND event_time >= ${evSince} AND type = 'FINISHED'`;
    summary.buildsFinished = await count(ch, sql`SELECT uniqExact(build_id) AS n ${finished}`);
    summary.buildsByAgents =
      agentExecutors.length === 0
        ? 0
        : await count(
            ch,
            sql`SELECT uniqExact(build_id) AS n ${finished} AND (has(${[...agentExecutors]}, assumeNotNull(executor)) OR has(${[...agentExecutors]}, producer_id))`,
          );
  }
  if (tables.has('alerts'))
    summary.alertsFired = await count(ch, sql`SELECT uniqExact(alert_id) AS n FROM ${t('alerts')} WHERE event_time_ms >= ${evSince}`);
  if (tables.has('directives'))
    summary.directivesIssued = await count(
      ch,
      sql`SELECT uniqExact(directive_id) AS n FROM ${t('directives')} WHERE issued_at >= ${sinceMs}`,
    );
  if (tables.has('directive_acks'))
    summary.directivesAcked = await count(
      ch,
      sql`SELECT uniqExact(directive_id) AS n FROM ${t('directive_acks')} WHERE acked_at >= ${sinceMs} AND upper(status) = 'APPLIED'`,
    );
  if (tables.has('model_versions')) summary.model = await latestModel(ch, t('model_versions'));
  return summary;
}

/** Float columns of `model_versions` that are evaluation metrics (the registry's own ids and times are not). */
const NOT_METRICS = /(_at|_at_ms|_from_ms|_to_ms|_rows|version)$/;

async function latestModel(ch: ClickHouseClient, table: SqlFragment): Promise<DemoSummary['model']> {
  const all = await rows<Record<string, unknown>>(ch, sql`SELECT * FROM ${table} FINAL LIMIT 1000`);
  if (all.length === 0) return null;
  const timeOf = (r: Record<string, unknown>): number => {
    const v = r.created_at_ms ?? r.created_at ?? r.trained_at ?? 0;
    if (typeof v === 'number') return v;
    return typeof v === 'string' ? Number(v) || Date.parse(v) || 0 : 0;
  };
  // The serving model when the registry marks one, else the newest.
  const champion = all.filter((r) => r.status === 'champion');
  const latest = (champion.length > 0 ? champion : all).reduce((a, b) => (timeOf(b) > timeOf(a) ? b : a));
  const metrics: Record<string, number | string> = {};
  if (typeof latest.status === 'string') metrics.status = latest.status;
  for (const [k, v] of Object.entries(latest))
    if (typeof v === 'number' && Number.isFinite(v) && !NOT_METRICS.test(k)) metrics[k] = Number(v.toPrecision(6));
  const version = latest.version ?? latest.model_version;
  return { version: typeof version === 'string' || typeof version === 'number' ? String(version) : '?', metrics };
}

/** The summary as text lines. */
export function summaryText(s: DemoSummary, durationS: number): string {
  const n = (v: number | null): string => (v === null ? 'n/a (table not in this checkout)' : String(v));
  const lines = [
    `Factory Pulse demo summary (${durationS} s, database ${s.database}, read from ClickHouse):`,
    `  events processed:        ${n(s.eventsTotal)} since ${new Date(s.eventsSinceMs).toISOString().slice(11, 19)} UTC${
      s.events
        ? `  (${Object.entries(s.events)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')})`
        : ''
    }`,
    `  builds finished:         ${n(s.buildsFinished)}`,
    `  builds by real agents:   ${n(s.buildsByAgents)}`,
    `  alerts fired:            ${n(s.alertsFired)}`,
    `  directives issued/acked: ${n(s.directivesIssued)} / ${n(s.directivesAcked)}`,
    `  model:                   ${
      s.model
        ? `${s.model.version} ${Object.entries(s.model.metrics)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}`
        : 'none trained'
    }`,
  ];
  return lines.join('\n');
}
