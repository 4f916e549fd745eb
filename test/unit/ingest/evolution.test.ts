import { readFileSync } from 'node:fs';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { createSchemaSet, crc64Avro, readSchema, type BuildEvent } from '../../../ingest/index.js';

const fixture = (name: string): avro.Schema =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as avro.Schema;
const V0 = fixture('build-event.v0.avsc');
const V2 = fixture('build-event.v2.avsc');

/** Single-object message written with an arbitrary writer schema. */
function writeWith(schema: avro.Schema, value: unknown): Buffer {
  const type = avro.Type.forSchema(schema);
  return Buffer.concat([Buffer.from([0xc3, 0x01]), crc64Avro(JSON.stringify(type.schema())), type.toBuffer(value)]);
}

const current: BuildEvent = {
  event_id: 'e1',
  event_time: 1_767_600_000_000,
  producer_id: 'p1',
  seq: 7,
  type: 'FINISHED',
  build_id: 'b1',
  job_id: 'j1',
  pool: 'pool-1',
  executor: 'x1',
  arch: 'arm64',
  combination: ['base@1', 'node@20'],
  queue_wait_ms: 12,
  duration_ms: 3400,
  status: 'FAILED',
  failure_category: 'compile',
  image_size_bytes: 1000,
  layer_count: 4,
  sbom_generation_ms: 80,
  features: { cpu: 2 },
};

describe('schema evolution of build events', () => {
  it('old writer (v0) → current reader: added fields take their defaults', () => {
    const set = createSchemaSet({ writers: [{ family: 'build', schema: V0 }] });
    const { arch: _a, sbom_generation_ms: _s, features: _f, ...old } = current;
    const decoded = set.decodeAs('build', writeWith(V0, old));
    expect(decoded).toEqual({ ...old, arch: 'amd64', sbom_generation_ms: null, features: {} });
  });

  it('new writer (v2) → current reader: unknown new fields are dropped', () => {
    const set = createSchemaSet({ writers: [{ family: 'build', schema: V2 }] });
    const decoded = set.decodeAs('build', writeWith(V2, { ...current, runner_version: '9.1', retry_of: 'b0' }));
    expect(decoded).toEqual(current);
  });

  it('current writer → old reader (v0): the old consumer reads what it knows', () => {
    const oldReader = createSchemaSet({ readers: { build: V0 }, writers: [{ family: 'build', schema: readSchema('build') }] });
    const bytes = createSchemaSet().encode('build', current);
    const { arch: _a, sbom_generation_ms: _s, features: _f, ...old } = current;
    expect(oldReader.decodeAs('build', bytes)).toEqual(old);
  });

  it('a writer schema the reader cannot resolve is refused when added', () => {
    const incompatible = { ...(V0 as object), fields: [{ name: 'build_id', type: 'int' }] } as avro.Schema;
    expect(() => createSchemaSet({ writers: [{ family: 'build', schema: incompatible }] })).toThrow(/cannot be resolved/);
  });
});
