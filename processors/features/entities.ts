/**
 * Entities features are kept for (pool, module combination, module, executor): which entities an event
 * contributes to, how an entity is encoded as one string in partial rows, and the identity columns of
 * its feature tables.
 */
import type { BuildEvent, CacheEvent, ResourceEvent, TestResult } from '../../ingest/index.js';
import type { WindowSizeName } from './windows.js';

/** Entity types, one family of feature tables each (`<type>_features_<size>`). */
export const ENTITY_TYPES = ['pool', 'combination', 'module', 'executor'] as const;

/** An entity type. */
export type EntityType = (typeof ENTITY_TYPES)[number];

/** An entity: its type and its encoded key (JSON for compound keys, so any string is safe). */
export interface EntityRef {
  type: EntityType;
  key: string;
}

/** A decoded event of one of the families the feature processor consumes. */
export type FeatureEvent =
  | { family: 'build'; value: BuildEvent }
  | { family: 'cache'; value: CacheEvent }
  | { family: 'resource'; value: ResourceEvent }
  | { family: 'test'; value: TestResult };

/** `combination_key` column: the module@version list joined with `,` (base first, as produced). */
export function combinationKey(combination: readonly string[]): string {
  return combination.join(',');
}

const executorKey = (pool: string, executor: string): string => JSON.stringify([pool, executor]);
const combinationRef = (c: readonly string[]): EntityRef => ({ type: 'combination', key: JSON.stringify(c) });
const moduleRefs = (c: readonly string[]): EntityRef[] => [...new Set(c)].map((m) => ({ type: 'module' as const, key: m }));

/** Entities an event is aggregated into. */
export function entitiesOf(ev: FeatureEvent): EntityRef[] {
  const pool: EntityRef = { type: 'pool', key: ev.value.pool };
  switch (ev.family) {
    case 'build': {
      const out = [pool, combinationRef(ev.value.combination), ...moduleRefs(ev.value.combination)];
      if (ev.value.executor !== null) out.push({ type: 'executor', key: executorKey(ev.value.pool, ev.value.executor) });
      return out;
    }
    case 'cache':
    case 'resource':
      return [pool, { type: 'executor', key: executorKey(ev.value.pool, ev.value.executor) }];
    case 'test':
      return [pool, combinationRef(ev.value.combination), ...moduleRefs(ev.value.combination)];
  }
}

/** Feature table of an entity type and window size. */
export function featureTable(type: EntityType, size: WindowSizeName): string {
  return `${type}_features_${size}`;
}

/** Identity columns of a feature row for an encoded entity key. */
export function identityColumns(type: EntityType, key: string): Record<string, string | string[]> {
  switch (type) {
    case 'pool':
      return { pool: key };
    case 'module':
      return { module: key };
    case 'combination': {
      const combination = JSON.parse(key) as string[];
      return { combination_key: combinationKey(combination), combination };
    }
    case 'executor': {
      const [pool, executor] = JSON.parse(key) as [string, string];
      return { pool, executor };
    }
  }
}
