/**
 * Raw event rows: one row per event, columns named as the Avro fields, `ts` (DateTime, unix seconds)
 * added for partitioning and the build `features` map split into sorted parallel arrays.
 *
 * Rows are built field by field: object rest/spread over a decoded avsc record takes V8's slow path
 * (~20 µs per event, as much as all the window work together). The `Columns` types make the compiler
 * insist on every field of the contract, so a new Avro field cannot be silently left out.
 */
import type { BuildEvent, CacheEvent, ResourceEvent, TestResult } from '../../ingest/index.js';
import type { FeatureEvent } from './entities.js';

/** Raw table of each consumed family. */
export const RAW_TABLES = { build: 'build_events', cache: 'cache_events', resource: 'resource_events', test: 'test_results' } as const;

/** Name of a raw table. */
export type RawTable = (typeof RAW_TABLES)[keyof typeof RAW_TABLES];

/** A row for JSONEachRow. */
export type Row = Record<string, unknown>;

type Columns<T, Omitted extends keyof T = never> = { [K in Exclude<keyof T, Omitted>]: unknown } & { ts: number };

function buildRow(v: BuildEvent, ts: number): Columns<BuildEvent, 'features'> & { feature_names: string[]; feature_values: number[] } {
  const names = Object.keys(v.features);
  if (names.length > 1) names.sort();
  return {
    event_id: v.event_id,
    event_time: v.event_time,
    producer_id: v.producer_id,
    seq: v.seq,
    type: v.type,
    build_id: v.build_id,
    job_id: v.job_id,
    pool: v.pool,
    executor: v.executor,
    arch: v.arch,
    combination: v.combination,
    queue_wait_ms: v.queue_wait_ms,
    duration_ms: v.duration_ms,
    status: v.status,
    failure_category: v.failure_category,
    image_size_bytes: v.image_size_bytes,
    layer_count: v.layer_count,
    sbom_generation_ms: v.sbom_generation_ms,
    ts,
    feature_names: names,
    feature_values: names.map((n) => v.features[n] ?? 0),
  };
}

function cacheRow(v: CacheEvent, ts: number): Columns<CacheEvent> {
  return {
    event_id: v.event_id,
    event_time: v.event_time,
    producer_id: v.producer_id,
    seq: v.seq,
    executor: v.executor,
    pool: v.pool,
    build_id: v.build_id,
    layer_key: v.layer_key,
    hit: v.hit ? 1 : 0,
    bytes: v.bytes,
    latency_ms: v.latency_ms,
    tier: v.tier,
    ts,
  };
}

function resourceRow(v: ResourceEvent, ts: number): Columns<ResourceEvent> {
  return {
    event_id: v.event_id,
    event_time: v.event_time,
    producer_id: v.producer_id,
    seq: v.seq,
    executor: v.executor,
    pool: v.pool,
    cpu_util: v.cpu_util,
    memory_util: v.memory_util,
    memory_bytes: v.memory_bytes,
    disk_read_bps: v.disk_read_bps,
    disk_write_bps: v.disk_write_bps,
    net_rx_bps: v.net_rx_bps,
    net_tx_bps: v.net_tx_bps,
    running_builds: v.running_builds,
    slots: v.slots,
    queued: v.queued,
    ts,
  };
}

function testRow(v: TestResult, ts: number): Columns<TestResult> {
  return {
    event_id: v.event_id,
    event_time: v.event_time,
    producer_id: v.producer_id,
    seq: v.seq,
    test_plan_id: v.test_plan_id,
    build_id: v.build_id,
    pool: v.pool,
    combination: v.combination,
    test_id: v.test_id,
    outcome: v.outcome,
    retries: v.retries,
    duration_ms: v.duration_ms,
    ts,
  };
}

/** The raw table and row of an event. */
export function rawRow(ev: FeatureEvent): { table: RawTable; row: Row } {
  const ts = Math.floor(ev.value.event_time / 1000);
  switch (ev.family) {
    case 'build':
      return { table: RAW_TABLES.build, row: buildRow(ev.value, ts) };
    case 'cache':
      return { table: RAW_TABLES.cache, row: cacheRow(ev.value, ts) };
    case 'resource':
      return { table: RAW_TABLES.resource, row: resourceRow(ev.value, ts) };
    case 'test':
      return { table: RAW_TABLES.test, row: testRow(ev.value, ts) };
  }
}
