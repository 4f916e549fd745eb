import { describe, expect, it } from 'vitest';
import { generateLocalToken, parseTokens } from '../../../api/auth/tokens.js';
import { ConfigError } from '../../../common/errors.js';

describe('tokens', () => {
  it('parses tokens with scopes and verifies them', () => {
    const t = parseTokens('aaaaaaaaaaaaaaaa1=read, bbbbbbbbbbbbbbbb2=write+ingest');
    expect(t.size).toBe(2);
    expect([...(t.verify('aaaaaaaaaaaaaaaa1')?.scopes ?? [])]).toEqual(['read']);
    expect(t.verify('bbbbbbbbbbbbbbbb2')).toMatchObject({ id: 'token-2' });
    expect(t.verify('bbbbbbbbbbbbbbbb')).toBeUndefined();
    expect(t.verify('')).toBeUndefined();
  });

  it('rejects bad specs naming api.tokens', () => {
    for (const bad of ['', 'short=read', 'aaaaaaaaaaaaaaaa1=admin', 'aaaaaaaaaaaaaaaa1'])
      expect(() => parseTokens(bad), bad).toThrow(ConfigError);
    try {
      parseTokens('aaaaaaaaaaaaaaaa1=admin');
    } catch (err) {
      expect((err as ConfigError).details.key).toBe('api.tokens');
    }
  });

  it('generates a local token with every scope', () => {
    const { token, spec } = generateLocalToken();
    const p = parseTokens(spec).verify(token);
    expect([...(p?.scopes ?? [])].sort()).toEqual(['ingest', 'read', 'write']);
  });
});
