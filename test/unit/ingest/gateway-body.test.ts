import { describe, expect, it } from 'vitest';
import { DecodeError, ValidationError } from '../../../common/errors.js';
import { decodeAvroEvents, frameAvroBatch, parseJsonEvents, splitAvroBatch } from '../../../ingest/gateway/index.js';
import { createSchemaSet } from '../../../ingest/index.js';

const schemas = createSchemaSet();
const cache = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  event_id: 'e1',
  event_time: 1,
  producer_id: 'p',
  seq: 1,
  executor: 'x1',
  pool: 'pool-1',
  layer_key: 'sha256:ab',
  hit: true,
  bytes: 10,
  latency_ms: 1.5,
  tier: 'LOCAL',
  ...over,
});
const field = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details.field).toBe((err as ValidationError).fieldPath);
    return (err as ValidationError).fieldPath;
  }
  throw new Error('expected a ValidationError');
};

describe('gateway JSON bodies', () => {
  it('fills Avro defaults of omitted optional fields', () => {
    const [ev] = parseJsonEvents(schemas, 'cache', cache());
    expect(ev?.build_id).toBeNull();
    const [b] = parseJsonEvents(schemas, 'build', {
      event_id: 'e',
      event_time: 1,
      producer_id: 'p',
      seq: 1,
      type: 'QUEUED',
      build_id: 'b',
      job_id: 'j',
      pool: 'p1',
      combination: ['base@1'],
    });
    expect(b).toMatchObject({ arch: 'amd64', executor: null, features: {}, status: null });
  });
  it('names the failing field, with the index for arrays', () => {
    expect(field(() => parseJsonEvents(schemas, 'cache', cache({ hit: 'yes' })))).toBe('hit');
    expect(field(() => parseJsonEvents(schemas, 'cache', [cache(), cache({ pool: undefined })]))).toBe('[1].pool');
    expect(field(() => parseJsonEvents(schemas, 'cache', [cache({ tier: 'L3' })]))).toBe('[0].tier');
    expect(field(() => parseJsonEvents(schemas, 'cache', cache({ colour: 'red' })))).toBe('colour');
    expect(field(() => parseJsonEvents(schemas, 'cache', [cache(), 5]))).toBe('[1]');
    expect(field(() => parseJsonEvents(schemas, 'cache', []))).toBe('body');
  });
});

describe('gateway Avro bodies', () => {
  it('frames and splits batches; decodes and checks the family', () => {
    const msgs = [schemas.encode('cache', cache() as never), schemas.encode('cache', cache({ seq: 2 }) as never)];
    const parts = splitAvroBatch(frameAvroBatch(msgs));
    expect(parts.map((p) => p.toString('hex'))).toEqual(msgs.map((m) => m.toString('hex')));
    expect(decodeAvroEvents(schemas, 'cache', parts).map((e) => e.seq)).toEqual([1, 2]);
    expect(() => decodeAvroEvents(schemas, 'build', parts)).toThrow(DecodeError);
  });
  it('rejects truncated frames and empty batches', () => {
    const framed = frameAvroBatch([schemas.encode('cache', cache() as never)]);
    expect(() => splitAvroBatch(framed.subarray(0, framed.length - 1))).toThrow(/runs past the end/);
    expect(() => splitAvroBatch(Buffer.concat([framed, Buffer.from([0, 0])]))).toThrow(/fewer than 4 bytes/);
    expect(() => splitAvroBatch(Buffer.alloc(0))).toThrow(DecodeError);
  });
});
