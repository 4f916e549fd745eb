/**
 * Records directives, acks and measured effects in ClickHouse (`directives`, `directive_acks`,
 * migrations 03xx). A directive's effect is a new version of its row (ReplacingMergeTree(version)).
 */
import type { ClickHouseClient } from '../../sinks/index.js';
import { ident, sql } from '../../sinks/index.js';
import { SinkWriteError } from '../../common/errors.js';
import type { Directive, DirectiveAck } from '../../ingest/index.js';

/** A directive as issued, with where it was published. */
export interface IssuedRecord {
  directive: Directive;
  source: string;
  policy: string;
  topic: string;
  partition: number;
  offset: string;
}

/** A measured effect of a directive. */
export interface EffectRecord {
  directiveId: string;
  pool: string;
  kind: string;
  /** `measured` or `no_data`. */
  status: string;
  measuredAt: number;
  windowMs: number;
  queueWaitP95BeforeMs: number | null;
  queueWaitP95AfterMs: number | null;
  hitRatioBefore: number | null;
  hitRatioAfter: number | null;
}

/** Directive of which the effect is due to be measured. */
export interface PendingEffect {
  directiveId: string;
  pool: string;
  kind: string;
  issuedAt: number;
  /** First ack time, ms. */
  ackedAt: number;
}

/** Writes (and reads back what the engine needs about) directive rows. */
export interface DirectiveRecorder {
  recordIssued(record: IssuedRecord): Promise<void>;
  recordAcks(acks: readonly DirectiveAck[]): Promise<void>;
  recordEffect(effect: EffectRecord): Promise<void>;
  /** Acked directives still waiting for an effect measurement, acked before `ackedBefore`. */
  pendingEffects(ackedBefore: number, limit: number): Promise<PendingEffect[]>;
  /** Pending directives nobody acked that expired before `expiredBefore` (their effect is `not_acked`). */
  unackedExpired(expiredBefore: number, limit: number): Promise<Omit<PendingEffect, 'ackedAt'>[]>;
}

/** Dependencies of {@link createDirectiveRecorder}. */
export interface DirectiveRecorderDeps {
  clickhouse: ClickHouseClient;
  database: string;
  clock?: () => number;
}

/** Creates the ClickHouse recorder. */
export function createDirectiveRecorder(deps: DirectiveRecorderDeps): DirectiveRecorder {
  const db = ident(deps.database);
  const clock = deps.clock ?? Date.now;
  let lastVersion = 0;
  // Versions are ms timestamps made strictly increasing inside this process.
  const nextVersion = (): number => (lastVersion = Math.max(lastVersion + 1, clock()));
  const insert = async (table: string, values: Record<string, unknown>[]): Promise<void> => {
    try {
      await deps.clickhouse.insert({ table: `${db.text}.${ident(table).text}`, values, format: 'JSONEachRow' });
    } catch (err) {
      throw new SinkWriteError(table, (err as Error).message, { cause: err });
    }
  };
  return {
    async recordIssued({ directive: d, source, policy, topic, partition, offset }) {
      await insert('directives', [
        {
          directive_id: d.directive_id,
          pool: d.pool,
          kind: d.kind,
          source,
          policy,
          issued_at: d.issued_at,
          issued_time: Math.floor(d.issued_at / 1000),
          valid_until: d.valid_until,
          desired_slots: d.desired_slots,
          warm_combinations: d.warm.map((w) => w.combination.join(';')),
          warm_saving_ms: d.warm.map((w) => w.expected_saving_ms),
          reason_keys: Object.keys(d.reason),
          reason_values: Object.values(d.reason),
          reason_text: d.reason_text,
          topic,
          kafka_partition: partition,
          kafka_offset: offset,
          effect_status: 'pending',
          version: nextVersion(),
        },
      ]);
    },
    async recordAcks(acks) {
      if (acks.length === 0) return;
      await insert(
        'directive_acks',
        acks.map((a) => ({
          directive_id: a.directive_id,
          pool: a.pool,
          executor: a.executor,
          status: a.status,
          reason: a.reason,
          acked_at: a.event_time,
          event_id: a.event_id,
        })),
      );
    },
    async recordEffect(e) {
      // Copy the latest version of the row and add the effect columns, as a new version.
      const version = nextVersion();
      const query = sql`INSERT INTO ${db}.directives
        SELECT directive_id, pool, kind, source, policy, issued_at, issued_time, valid_until, desired_slots,
          warm_combinations, warm_saving_ms, reason_keys, reason_values, reason_text, topic, kafka_partition,
          kafka_offset, ${e.status} AS effect_status, toUInt64(${e.measuredAt}) AS effect_measured_at,
          toUInt64(${e.windowMs}) AS effect_window_ms,
          ${nullableFloat(e.queueWaitP95BeforeMs)} AS queue_wait_p95_before_ms,
          ${nullableFloat(e.queueWaitP95AfterMs)} AS queue_wait_p95_after_ms,
          ${nullableFloat(e.hitRatioBefore)} AS hit_ratio_before, ${nullableFloat(e.hitRatioAfter)} AS hit_ratio_after,
          toUInt64(${version}) AS version
        FROM ${db}.directives FINAL
        WHERE pool = ${e.pool} AND kind = ${e.kind} AND directive_id = ${e.directiveId}`;
      try {
        await deps.clickhouse.command({ query: query.text });
      } catch (err) {
        throw new SinkWriteError('directives', (err as Error).message, { cause: err });
      }
    },
    async pendingEffects(ackedBefore, limit) {
      const query = sql`SELECT d.directive_id AS directive_id, d.pool AS pool, d.kind AS kind, d.issued_at AS issued_at,
          a.first_ack AS acked_at
        FROM (SELECT directive_id, pool, kind, issued_at FROM ${db}.directives FINAL WHERE effect_status = 'pending') AS d
        ALL INNER JOIN (SELECT directive_id, min(acked_at) AS first_ack FROM ${db}.directive_acks
          WHERE status = 'APPLIED' GROUP BY directive_id) AS a USING directive_id
        WHERE a.first_ack <= ${ackedBefore}
        ORDER BY acked_at LIMIT ${limit}`;
      const rs = await deps.clickhouse.query({ query: query.text, format: 'JSONEachRow' });
      const rows = await rs.json<{ directive_id: string; pool: string; kind: string; issued_at: string; acked_at: string }>();
      return rows.map((r) => ({
        directiveId: r.directive_id,
        pool: r.pool,
        kind: r.kind,
        issuedAt: Number(r.issued_at),
        ackedAt: Number(r.acked_at),
      }));
    },
    unackedExpired(expiredBefore, limit) {
      return selectUnacked(deps.clickhouse, db, expiredBefore, limit);
    },
  };
}

/** Rows of {@link DirectiveRecorder.unackedExpired}. */
async function selectUnacked(
  client: ClickHouseClient,
  db: ReturnType<typeof ident>,
  expiredBefore: number,
  limit: number,
): Promise<Omit<PendingEffect, 'ackedAt'>[]> {
  const query = sql`SELECT directive_id, pool, kind, issued_at FROM ${db}.directives FINAL
    WHERE effect_status = 'pending' AND valid_until < ${expiredBefore}
      AND directive_id NOT IN (SELECT directive_id FROM ${db}.directive_acks)
    ORDER BY issued_at LIMIT ${limit}`;
  const rs = await client.query({ query: query.text, format: 'JSONEachRow' });
  const rows = await rs.json<{ directive_id: string; pool: string; kind: string; issued_at: string }>();
  return rows.map((r) => ({ directiveId: r.directive_id, pool: r.pool, kind: r.kind, issuedAt: Number(r.issued_at) }));
}

function nullableFloat(v: number | null): ReturnType<typeof sql> {
  return v === null || !Number.isFinite(v) ? sql`CAST(NULL AS Nullable(Float64))` : sql`toNullable(toFloat64(${v}))`;
}
