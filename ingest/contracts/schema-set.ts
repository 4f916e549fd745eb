/**
 * The schema set: Avro types of every event family, parsed once at start-up, and the wire format
 * (Avro single-object encoding: `C3 01`, 8-byte CRC-64-AVRO fingerprint of the writer schema, payload).
 *
 * Decoding finds the writer schema by fingerprint among every schema version the set knows and
 * resolves it against the current reader schema, so old and new producers can coexist.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';
import { DecodeError, ValidationError } from '../../common/errors.js';
import { crc64Avro } from './fingerprint.js';
import type { AnyEvent, Family, FamilyTypes } from './types.js';

/** Schema files of the current (reader) version, by family. */
export const SCHEMA_FILES: Readonly<Record<Family, string>> = {
  build: 'build-event.avsc',
  cache: 'cache-event.avsc',
  resource: 'resource-event.avsc',
  test: 'test-result.avsc',
  sbom: 'sbom-document.avsc',
  job: 'job.avsc',
  directive: 'directive.avsc',
  'directive-ack': 'directive-ack.avsc',
  alert: 'alert.avsc',
};

/** Every family name. */
export const FAMILIES = Object.keys(SCHEMA_FILES) as Family[];

/** Folder of the .avsc files. */
export const SCHEMA_DIR = new URL('./schemas/', import.meta.url).pathname;

const MAGIC = Buffer.from([0xc3, 0x01]);
const HEADER = 10;

/** Reads a schema file as JSON. */
export function readSchema(family: Family): avro.Schema {
  return JSON.parse(readFileSync(join(SCHEMA_DIR, SCHEMA_FILES[family]), 'utf8')) as avro.Schema;
}

interface Writer {
  family: Family;
  type: avro.Type;
  resolver: avro.Resolver | undefined;
}

/** Encoder/decoder for every family. Create once per process and pass down. */
export interface SchemaSet {
  /** The reader type of a family. */
  type(family: Family): avro.Type;
  /** 8-byte fingerprint of the family's current schema. */
  fingerprint(family: Family): Buffer;
  /** Throws a ValidationError naming the first invalid field path. */
  validate<F extends Family>(family: F, value: unknown): asserts value is FamilyTypes[F];
  /** Validates then encodes as a single-object message. */
  encode<F extends Family>(family: F, value: FamilyTypes[F]): Buffer;
  /** Decodes a single-object message written with any known schema version; throws DecodeError. */
  decode(bytes: Buffer): AnyEvent;
  /** Decodes and checks the family (e.g. a consumer of the build topic expects `build`). */
  decodeAs<F extends Family>(family: F, bytes: Buffer): FamilyTypes[F];
  /** Teaches the set another writer version of a family (older or newer schema). */
  addWriterSchema(family: Family, schema: avro.Schema): Buffer;
}

/** Options for {@link createSchemaSet}. */
export interface SchemaSetOptions {
  /** Reader schemas to use instead of the files (tests of evolution). */
  readers?: Partial<Record<Family, avro.Schema>>;
  /** Further writer schema versions to accept. */
  writers?: readonly { family: Family; schema: avro.Schema }[];
}

function firstInvalidPath(type: avro.Type, value: unknown): { path: string; message: string } | undefined {
  let found: { path: string; message: string } | undefined;
  type.isValid(value, {
    errorHook(path: string[], any: unknown, t: avro.Type) {
      if (found) return;
      const shown = any === undefined ? 'missing' : JSON.stringify(any)?.slice(0, 80);
      const expected =
        t.typeName === 'record'
          ? 'a record'
          : t.typeName === 'enum'
            ? `one of ${(t as unknown as { symbols: string[] }).symbols.join('|')}`
            : `a ${t.typeName}`;
      found = { path: path.join('.') || '<root>', message: `expected ${expected}, got ${shown}` };
    },
  });
  return found;
}

/** Parses all schemas and builds the set. */
export function createSchemaSet(options: SchemaSetOptions = {}): SchemaSet {
  const readers = new Map<Family, avro.Type>();
  const fingerprints = new Map<Family, Buffer>();
  const writers = new Map<string, Writer>();

  for (const family of FAMILIES) {
    const schema = options.readers?.[family] ?? readSchema(family);
    const type = avro.Type.forSchema(schema);
    readers.set(family, type);
    const fp = crc64Avro(JSON.stringify(type.schema()));
    fingerprints.set(family, fp);
    writers.set(fp.toString('hex'), { family, type, resolver: undefined });
  }

  const reader = (family: Family): avro.Type => {
    const t = readers.get(family);
    if (!t) throw new DecodeError('unknown_family', `unknown event family "${family}"`);
    return t;
  };

  const set: SchemaSet = {
    type: reader,
    fingerprint(family) {
      return fingerprints.get(family) ?? Buffer.alloc(8);
    },
    validate(family, value) {
      const bad = firstInvalidPath(reader(family), value);
      if (bad) throw new ValidationError(bad.path, bad.message, { details: { family } });
    },
    encode(family, value) {
      set.validate(family, value);
      const payload = reader(family).toBuffer(value);
      return Buffer.concat([MAGIC, set.fingerprint(family), payload]);
    },
    decode(bytes) {
      if (!Buffer.isBuffer(bytes) || bytes.length < HEADER)
        throw new DecodeError('truncated', `message of ${bytes?.length ?? 0} bytes is shorter than the 10-byte single-object header`);
      if (bytes[0] !== 0xc3 || bytes[1] !== 0x01)
        throw new DecodeError(
          'bad_magic',
          `message does not start with the Avro single-object marker C3 01 (got ${bytes.subarray(0, 2).toString('hex')})`,
        );
      const fp = bytes.subarray(2, HEADER).toString('hex');
      const w = writers.get(fp);
      if (!w)
        throw new DecodeError('unknown_fingerprint', `no known writer schema has fingerprint ${fp}`, { details: { fingerprint: fp } });
      const r = reader(w.family);
      try {
        const value: unknown = w.resolver ? r.fromBuffer(bytes.subarray(HEADER), w.resolver) : r.fromBuffer(bytes.subarray(HEADER));
        return { family: w.family, value } as AnyEvent;
      } catch (err) {
        throw new DecodeError('bad_payload', `cannot decode ${w.family} payload: ${(err as Error).message}`, {
          cause: err,
          details: { family: w.family },
        });
      }
    },
    decodeAs(family, bytes) {
      const ev = set.decode(bytes);
      if (ev.family !== family)
        throw new DecodeError('wrong_family', `expected a ${family} message, got ${ev.family}`, { details: { family: ev.family } });
      return ev.value as FamilyTypes[typeof family];
    },
    addWriterSchema(family, schema) {
      const type = avro.Type.forSchema(schema);
      const fp = crc64Avro(JSON.stringify(type.schema()));
      const r = reader(family);
      let resolver: avro.Resolver;
      try {
        resolver = r.createResolver(type);
      } catch (err) {
        throw new ValidationError(family, `writer schema cannot be resolved against the reader: ${(err as Error).message}`, { cause: err });
      }
      if (!writers.has(fp.toString('hex'))) writers.set(fp.toString('hex'), { family, type, resolver });
      return fp;
    },
  };
  for (const w of options.writers ?? []) set.addWriterSchema(w.family, w.schema);
  return set;
}
