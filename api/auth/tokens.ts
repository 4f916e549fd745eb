/**
 * API tokens and scopes. Tokens come from `config.api.tokens` (`token=scope+scope,...`); only their
 * SHA-256 digests are kept, and a presented token is compared against every digest in constant time
 * (`crypto.timingSafeEqual` on equal-length digests, no early exit), so timing reveals neither a
 * token's prefix nor which entry matched.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../../common/errors.js';

/** What a token may do: read APIs, write routes (directives, jobs), event ingestion. */
export type Scope = 'read' | 'write' | 'ingest';

/** Every scope, in documentation order. */
export const SCOPES: readonly Scope[] = ['read', 'write', 'ingest'];

/** One configured token (its digest only). */
interface TokenEntry {
  /** Index in the config string, used as a non-secret identity for rate limits and logs. */
  id: string;
  digest: Buffer;
  scopes: ReadonlySet<Scope>;
}

/** The identity a valid token resolves to. */
export interface Principal {
  /** Non-secret id (`token-<n>`). */
  id: string;
  scopes: ReadonlySet<Scope>;
}

/** A set of tokens that can verify a presented token. */
export interface TokenTable {
  /** The principal of `token`, or undefined when no token matches. Constant time in the token. */
  verify(token: string): Principal | undefined;
  /** Number of configured tokens. */
  readonly size: number;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Parses `token=scope+scope,...`; throws ConfigError naming `api.tokens` for bad entries. */
export function parseTokens(spec: string): TokenTable {
  const entries: TokenEntry[] = [];
  const parts = spec
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new ConfigError('api.tokens', 'holds no token');
  parts.forEach((part, i) => {
    const eq = part.lastIndexOf('=');
    if (eq <= 0) throw new ConfigError('api.tokens', `entry ${i + 1} must look like token=scope+scope`);
    const token = part.slice(0, eq);
    if (token.length < 16) throw new ConfigError('api.tokens', `entry ${i + 1}: token must have at least 16 characters`);
    const scopes = new Set<Scope>();
    for (const s of part.slice(eq + 1).split('+')) {
      if (!SCOPES.includes(s as Scope)) throw new ConfigError('api.tokens', `entry ${i + 1}: unknown scope "${s}" (read, write, ingest)`);
      scopes.add(s as Scope);
    }
    entries.push({ id: `token-${i + 1}`, digest: digest(token), scopes });
  });
  return createTable(entries);
}

function createTable(entries: readonly TokenEntry[]): TokenTable {
  return {
    size: entries.length,
    verify(token) {
      const d = digest(token);
      let found: TokenEntry | undefined;
      // Compare with every entry (no early exit) so the time does not depend on which one matched.
      for (const e of entries) if (timingSafeEqual(d, e.digest) && !found) found = e;
      return found ? { id: found.id, scopes: found.scopes } : undefined;
    },
  };
}

/** A freshly generated local token with every scope (used when `api.tokens` is unset). */
export function generateLocalToken(): { token: string; spec: string } {
  const token = `pulse_${randomBytes(24).toString('base64url')}`;
  return { token, spec: `${token}=${SCOPES.join('+')}` };
}
