/**
 * JSON bodies of the ingest gateway: one event object or an array of them. Omitted fields that have
 * an Avro default get it; unknown fields are rejected; then the schema set validates. Errors name
 * the field path, prefixed with the item index for arrays (`[2].pool`).
 */
import type avro from 'avsc';
import { ValidationError } from '../../common/errors.js';
import type { SchemaSet } from '../contracts/schema-set.js';
import type { Family, FamilyTypes } from '../contracts/types.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface RecordLike {
  typeName: string;
  fields?: { name: string; type: avro.Type; defaultValue(): unknown }[];
  itemsType?: avro.Type;
  valuesType?: avro.Type;
  types?: avro.Type[];
}

/** Fills Avro defaults of omitted fields in place (records nested in arrays, maps and unions too). */
export function fillDefaults(type: avro.Type, value: unknown, path: string): unknown {
  const t = type as unknown as RecordLike;
  if (t.typeName === 'record' && isObject(value)) {
    const known = new Set((t.fields ?? []).map((f) => f.name));
    for (const key of Object.keys(value))
      if (!known.has(key)) throw new ValidationError(path ? `${path}.${key}` : key, 'is not a field of this event family');
    for (const f of t.fields ?? []) {
      const at = path ? `${path}.${f.name}` : f.name;
      if (value[f.name] === undefined) {
        const d = f.defaultValue();
        if (d !== undefined) value[f.name] = d;
      } else value[f.name] = fillDefaults(f.type, value[f.name], at);
    }
    return value;
  }
  if (t.typeName === 'array' && Array.isArray(value) && t.itemsType) {
    const items = t.itemsType;
    return value.map((v, i) => fillDefaults(items, v, `${path}[${i}]`));
  }
  if (t.typeName === 'map' && isObject(value) && t.valuesType) {
    for (const k of Object.keys(value)) value[k] = fillDefaults(t.valuesType, value[k], `${path}.${k}`);
    return value;
  }
  if (t.typeName === 'union:unwrapped' && isObject(value)) {
    const branch = t.types?.find(
      (b) => (b as unknown as RecordLike).typeName === 'record' || (b as unknown as RecordLike).typeName === 'map',
    );
    return branch ? fillDefaults(branch, value, path) : value;
  }
  return value;
}

/**
 * Parses and validates a JSON body for `family`; returns the events (all valid) or throws the first
 * ValidationError. `maxBatch` is checked by the caller (it needs the count before any work).
 */
export function parseJsonEvents<F extends Family>(schemas: SchemaSet, family: F, body: unknown): FamilyTypes[F][] {
  const array = Array.isArray(body);
  const items: unknown[] = array ? (body as unknown[]) : [body];
  if (array && items.length === 0) throw new ValidationError('body', 'is an empty array; send at least one event');
  const type = schemas.type(family);
  return items.map((item, i) => {
    const prefix = array ? `[${i}]` : '';
    if (!isObject(item)) throw new ValidationError(prefix || 'body', `must be a JSON object (a ${family} event)`);
    try {
      fillDefaults(type, item, '');
      schemas.validate(family, item);
      return item;
    } catch (err) {
      if (err instanceof ValidationError && array) {
        const rest = err.message.startsWith(`${err.fieldPath}: `) ? err.message.slice(err.fieldPath.length + 2) : err.message;
        throw new ValidationError(`${prefix}.${err.fieldPath}`, rest, {
          cause: err,
          details: { ...err.details, field: `${prefix}.${err.fieldPath}`, index: i },
        });
      }
      throw err;
    }
  });
}
