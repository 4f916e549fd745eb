/**
 * Bearer-token authentication and scope checks. `authorize(scope)` is a preHandler: no or unknown token
 * → AuthError (401), a token without the scope → ForbiddenError (403).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthError, ForbiddenError } from '../../common/errors.js';
import type { Principal, Scope, TokenTable } from '../auth/tokens.js';

/** A preHandler hook (callback style: it does no I/O). */
export type AuthHook = (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void;

/** Builds the preHandler that requires `scope`. */
export type Authorize = (scope: Scope) => AuthHook;

/** The bearer token of a request, or undefined. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

const principals = new WeakMap<FastifyRequest, Principal>();

/** The principal a request was authenticated as (after `authorize` ran). */
export function principalOf(request: FastifyRequest): Principal | undefined {
  return principals.get(request);
}

/** Creates `authorize` over a token table. */
export function createAuthorize(tokens: TokenTable): Authorize {
  return (scope) =>
    function authorize(request, _reply, done) {
      const token = bearerToken(request);
      if (token === undefined) return done(new AuthError('missing bearer token (Authorization: Bearer <token>)'));
      const principal = tokens.verify(token);
      if (!principal) return done(new AuthError('invalid API token'));
      if (!principal.scopes.has(scope)) return done(new ForbiddenError(scope));
      principals.set(request, principal);
      done();
    };
}
