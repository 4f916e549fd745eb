/**
 * Reads back what the online scorer predicted for builds (the `predictions` table it writes), so that
 * consumers of the build stream — the anomaly processor's prediction-drift detector — can join a
 * finished build's actual duration with the model's prediction made when it started (or was queued).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { UnavailableError } from '../../common/errors.js';
import { ident, joinSql, sql } from '../../sinks/index.js';

/** Predicted durations by build id. */
export interface PredictionLookup {
  /**
   * The model's p50 duration (ms) for each of `buildIds` it scored: the STARTED prediction, else the
   * QUEUED one; builds without a prediction are absent. Throws a retriable UnavailableError when the
   * store cannot be read.
   */
  predictedDurations(buildIds: readonly string[]): Promise<Map<string, number>>;
}

/** At most this many ids per query (keeps the IN list and the query text small). */
const CHUNK = 500;

/** Creates a lookup over `<database>.predictions`. */
export function createPredictionLookup(deps: { clickhouse: ClickHouseClient; database: string }): PredictionLookup {
  const table = ident(`${deps.database}.predictions`);
  return {
    async predictedDurations(buildIds) {
      const out = new Map<string, number>();
      const stageOf = new Map<string, string>();
      const unique = [...new Set(buildIds)];
      for (let i = 0; i < unique.length; i += CHUNK) {
        const ids = unique.slice(i, i + CHUNK);
        const list = joinSql(ids.map((id) => sql`${id}`));
        const query = sql`SELECT build_id, stage, duration_p50_ms FROM ${table} WHERE build_id IN (${list}) AND duration_p50_ms > 0`;
        let rows: Array<{ build_id: string; stage: string; duration_p50_ms: number | string }>;
        try {
          const rs = await deps.clickhouse.query({ query: query.text, format: 'JSONEachRow' });
          rows = await rs.json();
        } catch (err) {
          throw new UnavailableError('predictions', `cannot read predictions: ${(err as Error).message}`, { cause: err });
        }
        for (const r of rows) {
          // A STARTED prediction (executor known) wins over the QUEUED one.
          if (stageOf.get(r.build_id) === 'STARTED' && r.stage !== 'STARTED') continue;
          stageOf.set(r.build_id, r.stage);
          out.set(r.build_id, Number(r.duration_p50_ms));
        }
      }
      return out;
    },
  };
}
