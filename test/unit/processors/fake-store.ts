/** In-memory {@link FeatureStore} with ReplacingMergeTree semantics (latest version per key), for unit tests. */
import type { EntityType } from '../../../processors/index.js';
import type { FeatureStore, PartialRow, StoredCheckpoint, WindowKey, WindowSizeName } from '../../../processors/index.js';

type Row = Record<string, unknown>;

const KEYS: Record<string, readonly string[]> = {
  feature_partials: ['entity_type', 'window_size', 'entity', 'window_start', 'source'],
  processor_checkpoints: ['group_id', 'source'],
  combination_state: ['combination_key', 'pool'],
};

function keyColumns(table: string): readonly string[] {
  if (KEYS[table]) return KEYS[table];
  if (table.startsWith('pool_features')) return ['pool', 'window_start'];
  if (table.startsWith('combination_features')) return ['combination_key', 'window_start'];
  if (table.startsWith('module_features')) return ['module', 'window_start'];
  if (table.startsWith('executor_features')) return ['pool', 'executor', 'window_start'];
  return ['event_id'];
}

/** The fake: tables of rows by key; `failNext` makes the next N inserts throw (sink down). */
export interface FakeStore extends FeatureStore {
  tables: Map<string, Map<string, Row>>;
  inserts: number;
  failNext: number;
  /** Rows of a table (FINAL semantics), sorted by key. */
  final(table: string): Row[];
}

/** Creates an empty fake store. */
export function createFakeStore(): FakeStore {
  const tables = new Map<string, Map<string, Row>>();
  const store: FakeStore = {
    tables,
    inserts: 0,
    failNext: 0,
    async insert(table, rows) {
      await Promise.resolve();
      if (store.failNext > 0) {
        store.failNext--;
        throw new Error(`fake insert into ${table} failed`);
      }
      store.inserts++;
      const t = tables.get(table) ?? tables.set(table, new Map()).get(table) ?? new Map<string, Row>();
      const cols = keyColumns(table);
      for (const row of rows) {
        const key = JSON.stringify(cols.map((c) => row[c]));
        const prev = t.get(key);
        const version = typeof row.version === 'number' ? row.version : 0;
        if (!prev || (typeof prev.version === 'number' ? prev.version : 0) <= version) t.set(key, structuredClone(row));
      }
    },
    async readPartials(type: EntityType, size: WindowSizeName, keys: readonly WindowKey[]): Promise<PartialRow[]> {
      await Promise.resolve();
      const wanted = new Set(keys.map((k) => `${k.entity}|${k.startSec}`));
      return [...(tables.get('feature_partials')?.values() ?? [])]
        .filter((r) => r.entity_type === type && r.window_size === size && wanted.has(`${String(r.entity)}|${Number(r.window_start)}`))
        .map((r) => ({
          entity: String(r.entity),
          startSec: Number(r.window_start),
          source: String(r.source),
          version: Number(r.version),
          state: String(r.state),
        }));
    },
    async loadCheckpoint(groupId, source): Promise<StoredCheckpoint | null> {
      await Promise.resolve();
      const r = store.final('processor_checkpoints').find((c) => c.group_id === groupId && c.source === source);
      return r ? { nextOffset: Number(r.next_offset), state: String(r.state) } : null;
    },
    final(table) {
      const t = tables.get(table);
      if (!t) return [];
      return [...t.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
    },
  };
  return store;
}
