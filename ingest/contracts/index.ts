/** Event contracts: Avro schemas, TS shapes, the single-object wire format. */
export { createSchemaSet, readSchema, FAMILIES, SCHEMA_DIR, SCHEMA_FILES, type SchemaSet, type SchemaSetOptions } from './schema-set.js';
export { crc64Avro } from './fingerprint.js';
export type {
  Alert,
  AnyEvent,
  BuildEvent,
  BuildEventType,
  BuildJob,
  BuildStatus,
  CacheEvent,
  Directive,
  DirectiveAck,
  Envelope,
  Family,
  FamilyTypes,
  ResourceEvent,
  SbomComponent,
  SbomDocument,
  TestResult,
  WarmTarget,
} from './types.js';
