/**
 * What the feature processor needs from storage. The ClickHouse implementation lives in
 * processors/runtime/clickhouse-store.ts; unit tests use an in-memory fake with the same
 * ReplacingMergeTree semantics (latest version per key).
 */
import type { EntityType } from './entities.js';
import type { Row } from './raw-rows.js';
import type { WindowSizeName } from './windows.js';

/** Internal table of per-source partial window aggregates. */
export const PARTIALS_TABLE = 'feature_partials';
/** Internal table of checkpoints. */
export const CHECKPOINTS_TABLE = 'processor_checkpoints';
/** Per-(combination, pool) decayed state. */
export const COMBINATION_STATE_TABLE = 'combination_state';

/** A partial aggregate as stored (latest version per entity, window and source). */
export interface PartialRow {
  entity: string;
  /** Window start, unix seconds. */
  startSec: number;
  source: string;
  version: number;
  /** JSON of a SerializedAggregate. */
  state: string;
}

/** A window of one entity, to read the partials of. */
export interface WindowKey {
  entity: string;
  startSec: number;
}

/** The windows of one entity type and size to read partials of. */
export interface PartialsRequest {
  type: EntityType;
  size: WindowSizeName;
  keys: readonly WindowKey[];
}

/** A stored checkpoint of one source. */
export interface StoredCheckpoint {
  nextOffset: number;
  /** JSON snapshot of the partition state. */
  state: string;
}

/** Storage used by the feature processor. */
export interface FeatureStore {
  /** Inserts rows into a table of the configured database (idempotent tables only). */
  insert(table: string, rows: readonly Row[]): Promise<void>;
  /** Latest partial of every source for the given windows (one entity type and size). */
  readPartials(type: EntityType, size: WindowSizeName, keys: readonly WindowKey[]): Promise<PartialRow[]>;
  /**
   * The same for several entity types and sizes at once (one result per request, in order), in as few
   * round trips as the store can; optional (callers fall back to one readPartials per request).
   */
  readPartialsBatch?(requests: readonly PartialsRequest[]): Promise<PartialRow[][]>;
  /** Latest checkpoint of a source for a consumer group, or null. */
  loadCheckpoint(groupId: string, source: string): Promise<StoredCheckpoint | null>;
}
