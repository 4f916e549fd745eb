import { afterEach, describe, expect, it } from 'vitest';
import type { PulseApp } from '../../../api/app.js';
import { ALL, READ, WRITE, bearer, fakeApp } from './fakes.js';

let app: PulseApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const manual = { pool: 'p1', kind: 'SCALING', desired_slots: 4 };

describe('auth', () => {
  it('401 with a coded body without a token, and with an unknown token', async () => {
    ({ app } = await fakeApp());
    const none = await app.inject({ method: 'GET', url: '/v1/directives' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'PULSE_ERR_AUTH' });
    const bad = await app.inject({ method: 'GET', url: '/v1/directives', headers: bearer('nope-not-a-token-at-all') });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ code: 'PULSE_ERR_AUTH', message: 'invalid API token' });
    const basic = await app.inject({ method: 'GET', url: '/v1/directives', headers: { authorization: `Basic ${READ}` } });
    expect(basic.statusCode).toBe(401);
  });

  it('403 naming the scope when a read token writes, or a write-only token reads', async () => {
    const f = await fakeApp();
    app = f.app;
    const r = await app.inject({ method: 'POST', url: '/v1/directives', headers: bearer(READ), payload: manual });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toEqual({ code: 'PULSE_ERR_FORBIDDEN', message: 'token lacks scope "write"', details: { scope: 'write' } });
    expect(f.issuer.drafts).toHaveLength(0);
    const w = await app.inject({ method: 'GET', url: '/v1/alerts', headers: bearer(WRITE) });
    expect(w.statusCode).toBe(403);
    expect(w.json()).toMatchObject({ code: 'PULSE_ERR_FORBIDDEN', details: { scope: 'read' } });
  });

  it('a write token issues a manual directive (201) through the issuer', async () => {
    const f = await fakeApp();
    app = f.app;
    const r = await app.inject({ method: 'POST', url: '/v1/directives', headers: bearer(WRITE), payload: manual });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ directive_id: 'd-1', pool: 'p1', kind: 'SCALING', topic: 't.directives.scaling' });
    expect(f.issuer.drafts[0]).toMatchObject({ pool: 'p1', kind: 'SCALING', desiredSlots: 4, source: 'manual', warm: [] });
  });

  it('rate-limits write routes with a coded 429', async () => {
    ({ app } = await fakeApp({ limits: { rateLimitPerMinute: 2, maxBatch: 10 } }));
    const codes: number[] = [];
    for (let i = 0; i < 3; i++)
      codes.push((await app.inject({ method: 'POST', url: '/v1/directives', headers: bearer(ALL), payload: manual })).statusCode);
    expect(codes).toEqual([201, 201, 429]);
    const last = await app.inject({ method: 'POST', url: '/v1/directives', headers: bearer(ALL), payload: manual });
    expect(last.json()).toMatchObject({ code: 'PULSE_ERR_RATE_LIMITED', details: { limit: 2 } });
    // Read routes are not rate-limited.
    const read = await app.inject({ method: 'GET', url: '/v1/directives', headers: bearer(ALL) });
    expect(read.statusCode).toBe(200);
  });
});
