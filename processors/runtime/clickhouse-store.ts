/** {@link FeatureStore} on ClickHouse: inserts through the shared writer, FINAL reads of partials and checkpoints. */
import { joinSql, sql, ident, type ClickHouseWriter } from '../../sinks/index.js';
import type { EntityType } from '../features/entities.js';
import { CHECKPOINTS_TABLE, PARTIALS_TABLE, type FeatureStore, type PartialRow, type StoredCheckpoint } from '../features/store.js';
import type { WindowSizeName } from '../features/windows.js';

/** Windows per query of a batched read (all entity types and sizes of one flush in one or two queries). */
const KEYS_PER_BATCH_QUERY = 2000;

/** Creates the ClickHouse-backed store. */
export function createClickHouseFeatureStore(writer: ClickHouseWriter): FeatureStore {
  const table = (name: string) => ident(`${writer.database}.${name}`);
  const readPartialsBatch: NonNullable<FeatureStore['readPartialsBatch']> = async (requests) => {
    const all = requests.flatMap((r) => r.keys.map((k) => ({ type: r.type, size: r.size, k })));
    const out: PartialRow[][] = requests.map(() => []);
    const index = new Map(requests.map((r, i) => [`${r.type}|${r.size}`, i]));
    for (let c = 0; c < all.length; c += KEYS_PER_BATCH_QUERY) {
      const chunk = all.slice(c, c + KEYS_PER_BATCH_QUERY);
      const tuples = joinSql(chunk.map((x) => sql`(${x.type}, ${x.size}, ${x.k.entity}, toDateTime(${x.k.startSec}))`));
      const rows = await writer.select<{
        entity_type: string;
        window_size: string;
        entity: string;
        start_s: number | string;
        source: string;
        version: number | string;
        state: string;
      }>(
        sql`SELECT entity_type, window_size, entity, toUInt32(window_start) AS start_s, source, version, state FROM ${table(PARTIALS_TABLE)} FINAL
            WHERE (entity_type, window_size, entity, window_start) IN (${tuples})`,
      );
      for (const r of rows)
        out[index.get(`${r.entity_type}|${r.window_size}`) ?? -1]?.push({
          entity: r.entity,
          startSec: Number(r.start_s),
          source: r.source,
          version: Number(r.version),
          state: r.state,
        });
    }
    return out;
  };
  return {
    insert: (name, rows) => (rows.length === 0 ? Promise.resolve() : writer.insert(name, rows)),

    async readPartials(type: EntityType, size: WindowSizeName, keys) {
      return (await readPartialsBatch([{ type, size, keys }]))[0] ?? [];
    },

    readPartialsBatch,

    async loadCheckpoint(groupId, source): Promise<StoredCheckpoint | null> {
      const rows = await writer.select<{ next_offset: number | string; state: string }>(
        sql`SELECT next_offset, state FROM ${table(CHECKPOINTS_TABLE)} FINAL WHERE group_id = ${groupId} AND source = ${source} ORDER BY version DESC LIMIT 1`,
      );
      const r = rows[0];
      return r ? { nextOffset: Number(r.next_offset), state: r.state } : null;
    },
  };
}
