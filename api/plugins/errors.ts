/**
 * The one error handler: every error becomes a PulseError and is answered with the HTTP status of its
 * code in ERROR_CODES and the body `{ code, message, details }`. Schema validation failures become
 * PULSE_ERR_VALIDATION naming the field (`body.items[0].pool`), oversized bodies PULSE_ERR_TOO_LARGE,
 * unknown routes PULSE_ERR_NOT_FOUND.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import {
  ERROR_CODES,
  NotFoundError,
  PayloadTooLargeError,
  PulseError,
  RateLimitedError,
  ValidationError,
  asPulseError,
} from '../../common/errors.js';
import type { Metrics } from '../../common/metrics.js';

interface AjvError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turns an ajv instance path (`/items/0/pool`) into a field path (`body.items[0].pool`). */
export function fieldPath(context: string, err: AjvError): string {
  const parts = (err.instancePath ?? '').split('/').filter((p) => p !== '');
  const extra = err.params?.missingProperty ?? err.params?.additionalProperty;
  if (typeof extra === 'string') parts.push(extra);
  let path = context === 'querystring' ? 'query' : context;
  for (const p of parts) path += /^\d+$/.test(p) ? `[${p}]` : `.${p.replace(/~1/g, '/').replace(/~0/g, '~')}`;
  return path;
}

/** Maps anything a route or fastify throws to a PulseError. */
export function toPulseError(err: unknown): PulseError {
  if (err instanceof PulseError) return err;
  const fe = err as Partial<FastifyError> & { validation?: AjvError[]; validationContext?: string };
  if (Array.isArray(fe.validation) && fe.validation.length > 0) {
    const first: AjvError = fe.validation[0] ?? {};
    const path = fieldPath(fe.validationContext ?? 'body', first);
    const message = first.keyword === 'additionalProperties' ? 'is not an allowed property' : (first.message ?? 'is invalid');
    return new ValidationError(path, message, { details: { keyword: first.keyword } });
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PayloadTooLargeError(Number((fe as { limit?: number }).limit ?? 0), Number.NaN, 'bytes');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ValidationError('headers.content-type', 'unsupported media type (send application/json)');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ValidationError('body', 'must not be empty when content-type is application/json');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ValidationError('body', 'is not valid JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ValidationError('headers.content-length', 'does not match the body');
    default:
      break;
  }
  if (fe.statusCode === 400 && err instanceof SyntaxError) return new ValidationError('body', `is not valid JSON: ${err.message}`);
  if (fe.statusCode === 413) return new PayloadTooLargeError(0, Number.NaN, 'bytes');
  if (fe.statusCode === 429) return new RateLimitedError(0, 0, 0);
  return asPulseError(err);
}

/** Installs the error and not-found handlers on the root instance. */
export function registerErrorHandling(app: FastifyInstance, metrics: Metrics): void {
  const errors = metrics.counter('api_errors_total', 'API error responses by code', ['code']);
  app.setErrorHandler(async (err, request, reply) => {
    const e = toPulseError(err);
    const status = ERROR_CODES[e.code]?.status ?? 500;
    errors.inc({ code: e.code });
    if (status >= 500) request.log.error({ err, code: e.code }, 'request failed');
    else request.log.debug({ code: e.code, message: e.message }, 'request rejected');
    if (e instanceof RateLimitedError && typeof e.details.retryAfterMs === 'number' && e.details.retryAfterMs > 0)
      void reply.header('retry-after', Math.ceil(e.details.retryAfterMs / 1000));
    // 5xx of unknown kind: do not echo internals to the caller.
    const body =
      e.code === 'PULSE_ERR_INTERNAL' ? { code: e.code, message: 'internal error (see the server log)', details: {} } : e.toJSON();
    return reply.code(status).type('application/json').send(body);
  });
  app.setNotFoundHandler((request) => {
    throw new NotFoundError('route', `${request.method} ${request.url.split('?')[0] ?? ''}`);
  });
}
