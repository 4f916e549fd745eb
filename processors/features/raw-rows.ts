/**
 * Raw event rows: one row per event, columns named as the Avro fields, `ts` (DateTime, unix seconds)
 * added for partitioning and the build `features` map split into sorted parallel arrays.
 */
import type { FeatureEvent } from './entities.js';

/** Raw table of each consumed family. */
export const RAW_TABLES = { build: 'build_events', cache: 'cache_events', resource: 'resource_events', test: 'test_results' } as const;

/** Name of a raw table. */
export type RawTable = (typeof RAW_TABLES)[keyof typeof RAW_TABLES];

/** A row for JSONEachRow. */
export type Row = Record<string, unknown>;

/** The raw table and row of an event. */
export function rawRow(ev: FeatureEvent): { table: RawTable; row: Row } {
  const ts = Math.floor(ev.value.event_time / 1000);
  if (ev.family === 'build') {
    const { features, ...rest } = ev.value;
    const names = Object.keys(features).sort();
    return {
      table: RAW_TABLES.build,
      row: { ...rest, ts, feature_names: names, feature_values: names.map((n) => features[n] ?? 0) },
    };
  }
  if (ev.family === 'cache') return { table: RAW_TABLES.cache, row: { ...ev.value, ts, hit: ev.value.hit ? 1 : 0 } };
  return { table: RAW_TABLES[ev.family], row: { ...ev.value, ts } };
}
