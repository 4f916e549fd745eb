/**
 * The HTTP ingest gateway: `POST /v1/events/:family` (a fastify plugin, encapsulated: its body parsers
 * apply to its own routes only). Accepts JSON (one event or an array) or Avro (see avro-body.ts);
 * validates every event before sending any, so a rejected batch writes nothing; answers 202 only
 * after Kafka acknowledged all of them. Errors are thrown as PulseErrors for the app's error handler.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { NotFoundError, PayloadTooLargeError, ValidationError } from '../../common/errors.js';
import type { SchemaSet } from '../contracts/schema-set.js';
import { FAMILIES } from '../contracts/schema-set.js';
import type { Family } from '../contracts/types.js';
import type { EventProducer } from '../producer/producer.js';
import { AVRO_BATCH_CONTENT_TYPE, AVRO_CONTENT_TYPE, decodeAvroEvents, splitAvroBatch } from './avro-body.js';
import { parseJsonEvents } from './json-body.js';

/**
 * A fastify hook run first on each request (before the body is read), async or callback style,
 * failing with AuthError/ForbiddenError to refuse it — e.g. the API's `authorize('ingest')`.
 */
export type GatewayAuthorize = (
  this: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  done: (err?: Error) => void,
) => unknown;

/** Options of {@link ingestGateway}. */
export interface IngestGatewayOptions {
  producer: EventProducer;
  schemas: SchemaSet;
  /** Most events in one request (default 1000); more → 413. */
  maxBatch?: number;
  /** Largest body in bytes (default 5 MiB); larger → 413. */
  maxBodyBytes?: number;
  /** Authentication/authorisation (the API passes its preHandler requiring scope `ingest`). */
  authorize: GatewayAuthorize;
}

/** 202 answer body. */
export interface IngestAccepted {
  accepted: number;
  family: Family;
}

const FAMILY_SET = new Set<string>(FAMILIES);

/** The gateway plugin; register with `app.register(ingestGateway, options)`. */
export const ingestGateway: FastifyPluginAsync<IngestGatewayOptions> = (app, options) => {
  const maxBatch = options.maxBatch ?? 1000;
  const maxBodyBytes = options.maxBodyBytes ?? 5 * 1024 * 1024;
  const { producer, schemas } = options;

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    ['application/json', AVRO_CONTENT_TYPE, AVRO_BATCH_CONTENT_TYPE],
    { parseAs: 'buffer', bodyLimit: maxBodyBytes },
    (_req, body, done) => {
      done(null, body);
    },
  );

  // Refuses before reading the body when the client declares it too large (runs after authorize).
  const declaredSize: onRequestHookHandler = (request, _reply, done) => {
    const length = Number(request.headers['content-length']);
    done(Number.isFinite(length) && length > maxBodyBytes ? new PayloadTooLargeError(maxBodyBytes, length, 'bytes') : undefined);
  };

  app.post<{ Params: { family: string } }>(
    '/v1/events/:family',
    {
      onRequest: [options.authorize as onRequestHookHandler, declaredSize],
      schema: {
        summary: 'ingest events of one family (JSON or Avro); 202 after Kafka acknowledged all',
        tags: ['ingest'],
        params: { type: 'object', properties: { family: { type: 'string' } }, required: ['family'] },
        response: {
          202: {
            type: 'object',
            properties: { accepted: { type: 'integer' }, family: { type: 'string' } },
            required: ['accepted', 'family'],
          },
        },
      },
    },
    async (request, reply): Promise<IngestAccepted> => {
      const family = request.params.family;
      if (!FAMILY_SET.has(family)) throw new NotFoundError('event family', family);
      const f = family as Family;
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0)
        throw new ValidationError('body', 'is empty; send a JSON event, a JSON array or Avro');
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      let events;
      if (type === AVRO_CONTENT_TYPE || type === AVRO_BATCH_CONTENT_TYPE) {
        const messages = type === AVRO_CONTENT_TYPE ? [body] : splitAvroBatch(body);
        if (messages.length > maxBatch) throw new PayloadTooLargeError(maxBatch, messages.length, 'events');
        events = decodeAvroEvents(schemas, f, messages);
      } else {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch (err) {
          throw new ValidationError('body', `is not valid JSON: ${(err as Error).message}`, { cause: err });
        }
        if (Array.isArray(parsed) && parsed.length > maxBatch) throw new PayloadTooLargeError(maxBatch, parsed.length, 'events');
        events = parseJsonEvents(schemas, f, parsed);
      }
      await producer.sendMany(f, events);
      void reply.code(202);
      return { accepted: events.length, family: f };
    },
  );
  return Promise.resolve();
};
