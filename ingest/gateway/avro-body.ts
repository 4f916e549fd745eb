/**
 * Avro bodies of the ingest gateway.
 *
 * - `application/vnd.pulse.avro`: exactly one single-object message (`C3 01`, 8-byte fingerprint,
 *   payload), as the producer library writes to Kafka.
 * - `application/vnd.pulse.avro-batch`: several messages, each framed as a 4-byte big-endian length
 *   followed by that many bytes of one single-object message.
 *
 * Every message must be of the route's family; errors name the message index.
 */
import { DecodeError, ValidationError } from '../../common/errors.js';
import type { SchemaSet } from '../contracts/schema-set.js';
import type { Family, FamilyTypes } from '../contracts/types.js';

/** Content type of one Avro single-object message. */
export const AVRO_CONTENT_TYPE = 'application/vnd.pulse.avro';
/** Content type of length-prefixed Avro single-object messages. */
export const AVRO_BATCH_CONTENT_TYPE = 'application/vnd.pulse.avro-batch';

/** Splits a batch body into its messages; throws DecodeError on a bad frame. */
export function splitAvroBatch(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    if (offset + 4 > body.length)
      throw new DecodeError('bad_frame', `batch frame ${out.length} at byte ${offset}: fewer than 4 bytes left for the length`, {
        details: { index: out.length },
      });
    const len = body.readUInt32BE(offset);
    if (offset + 4 + len > body.length)
      throw new DecodeError('bad_frame', `batch frame ${out.length} at byte ${offset}: length ${len} runs past the end of the body`, {
        details: { index: out.length },
      });
    out.push(body.subarray(offset + 4, offset + 4 + len));
    offset += 4 + len;
  }
  if (out.length === 0) throw new DecodeError('empty', 'the batch body holds no messages');
  return out;
}

/** Frames messages as an Avro batch body (for clients and tests). */
export function frameAvroBatch(messages: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of messages) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(m.length);
    parts.push(len, m);
  }
  return Buffer.concat(parts);
}

/** Decodes messages of a family (each resolved to the reader schema) and validates them. */
export function decodeAvroEvents<F extends Family>(schemas: SchemaSet, family: F, messages: readonly Buffer[]): FamilyTypes[F][] {
  return messages.map((m, i) => {
    try {
      const value = schemas.decodeAs(family, m);
      schemas.validate(family, value);
      return value;
    } catch (err) {
      if (err instanceof DecodeError)
        throw new DecodeError(typeof err.details.reason === 'string' ? err.details.reason : 'bad_payload', `message ${i}: ${err.message}`, {
          cause: err,
          details: { ...err.details, index: i },
        });
      if (err instanceof ValidationError)
        throw new ValidationError(`[${i}].${err.fieldPath}`, err.message, {
          cause: err,
          details: { ...err.details, field: `[${i}].${err.fieldPath}`, index: i },
        });
      throw err;
    }
  });
}
