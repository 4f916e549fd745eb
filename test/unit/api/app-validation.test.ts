import { afterEach, describe, expect, it } from 'vitest';
import type { PulseApp } from '../../../api/app.js';
import { KafkaError, SinkWriteError, UnavailableError } from '../../../common/errors.js';
import { ALL, READ, bearer, fakeApp, fakeIssuer, fakePredictor } from './fakes.js';

let app: PulseApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('validation (400 naming the field)', () => {
  const cases: { name: string; url: string; method: 'GET' | 'POST'; payload?: unknown; field: string }[] = [
    { name: 'missing pool', method: 'POST', url: '/v1/directives', payload: { kind: 'SCALING', desired_slots: 1 }, field: 'body.pool' },
    {
      name: 'bad kind',
      method: 'POST',
      url: '/v1/directives',
      payload: { pool: 'p', kind: 'BOGUS', desired_slots: 1 },
      field: 'body.kind',
    },
    {
      name: 'negative slots',
      method: 'POST',
      url: '/v1/directives',
      payload: { pool: 'p', kind: 'SCALING', desired_slots: -1 },
      field: 'body.desired_slots',
    },
    {
      name: 'unknown property',
      method: 'POST',
      url: '/v1/directives',
      payload: { pool: 'p', kind: 'SCALING', desired_slots: 1, x: 1 },
      field: 'body.x',
    },
    {
      name: 'scaling without slots',
      method: 'POST',
      url: '/v1/directives',
      payload: { pool: 'p', kind: 'SCALING' },
      field: 'body.desired_slots',
    },
    {
      name: 'warm item without combination',
      method: 'POST',
      url: '/v1/directives',
      payload: { pool: 'p', kind: 'CACHE_WARM', warm: [{ combination: ['a@1'] }, { expected_saving_ms: 3 }] },
      field: 'body.warm[1].combination',
    },
    {
      name: 'predict item with empty combination',
      method: 'POST',
      url: '/v1/predict',
      payload: {
        items: [
          { pool: 'p', arch: 'amd64', combination: ['a@1'] },
          { pool: 'p', arch: 'amd64', combination: [] },
        ],
      },
      field: 'body.items[1].combination',
    },
    { name: 'jobs not an array', method: 'POST', url: '/v1/jobs', payload: { jobs: 'x' }, field: 'body.jobs' },
    { name: 'bad window', method: 'GET', url: '/v1/pools?window=2m', field: 'query.window' },
    { name: 'limit too large', method: 'GET', url: '/v1/directives?limit=100000', field: 'query.limit' },
    { name: 'non-numeric from', method: 'GET', url: '/v1/alerts?from=yesterday', field: 'query.from' },
    { name: 'unknown query key', method: 'GET', url: '/v1/alerts?colour=red', field: 'query.colour' },
  ];
  for (const c of cases)
    it(c.name, async () => {
      const f = await fakeApp();
      app = f.app;
      const r = await app.inject({
        method: c.method,
        url: c.url,
        headers: bearer(ALL),
        ...(c.payload ? { payload: c.payload as object } : {}),
      });
      expect(r.statusCode, r.body).toBe(400);
      const body = r.json<{ code: string; details: { field: string } }>();
      expect(body.code).toBe('PULSE_ERR_VALIDATION');
      expect(body.details.field).toBe(c.field);
      expect(f.issuer.drafts).toHaveLength(0);
      expect(f.jobs.jobs).toHaveLength(0);
    });

  it('malformed JSON is a 400 on body', async () => {
    ({ app } = await fakeApp());
    const r = await app.inject({
      method: 'POST',
      url: '/v1/predict',
      headers: { ...bearer(ALL), 'content-type': 'application/json' },
      payload: '{"items": [',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'PULSE_ERR_VALIDATION', details: { field: 'body' } });
  });

  it('oversized bodies are 413, oversized batches too', async () => {
    ({ app } = await fakeApp());
    const big = { items: [{ pool: 'p', arch: 'amd64', combination: ['x'.repeat(200)] }], pad: 'y'.repeat(70 * 1024) };
    const r = await app.inject({ method: 'POST', url: '/v1/predict', headers: bearer(ALL), payload: big });
    expect(r.statusCode).toBe(413);
    expect(r.json()).toMatchObject({ code: 'PULSE_ERR_TOO_LARGE' });
    const items = Array.from({ length: 51 }, () => ({ pool: 'p', arch: 'amd64', combination: ['a@1'] }));
    const b = await app.inject({ method: 'POST', url: '/v1/predict', headers: bearer(ALL), payload: { items } });
    expect(b.statusCode).toBe(413);
    expect(b.json()).toMatchObject({ code: 'PULSE_ERR_TOO_LARGE', details: { limit: 50, actual: 51, unit: 'items' } });
  });
});

describe('error mapping (one handler, ERROR_CODES statuses)', () => {
  const thrown = [
    { err: new KafkaError('produce', 'broker down'), status: 503, code: 'PULSE_ERR_KAFKA' },
    { err: new SinkWriteError('directives', 'timeout'), status: 503, code: 'PULSE_ERR_SINK_WRITE' },
    { err: new UnavailableError('model', 'not loaded'), status: 503, code: 'PULSE_ERR_UNAVAILABLE' },
    { err: new TypeError('boom at secret place'), status: 500, code: 'PULSE_ERR_INTERNAL' },
  ];
  for (const t of thrown)
    it(`${t.code} → ${t.status}`, async () => {
      const issuer = fakeIssuer();
      issuer.issue = () => Promise.reject(t.err);
      ({ app } = await fakeApp({ issuer }));
      const r = await app.inject({
        method: 'POST',
        url: '/v1/directives',
        headers: bearer(ALL),
        payload: { pool: 'p', kind: 'SCALING', desired_slots: 2 },
      });
      expect(r.statusCode).toBe(t.status);
      expect(r.json()).toMatchObject({ code: t.code });
      if (t.code === 'PULSE_ERR_INTERNAL') expect(r.body).not.toContain('secret place');
    });

  it('unknown routes are a coded 404; unknown directive ids too', async () => {
    ({ app } = await fakeApp());
    const r = await app.inject({ method: 'GET', url: '/v1/nothing-here', headers: bearer(READ) });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ code: 'PULSE_ERR_NOT_FOUND' });
    const d = await app.inject({ method: 'GET', url: '/v1/directives/abc', headers: bearer(READ) });
    expect(d.statusCode).toBe(404);
    expect(d.json()).toMatchObject({ code: 'PULSE_ERR_NOT_FOUND', details: { what: 'directive', id: 'abc' } });
  });

  it('readyz is 503 naming the failing dependency, healthz stays 200', async () => {
    const predictor = fakePredictor();
    ({ app } = await fakeApp({
      predictor,
      readiness: [
        { name: 'clickhouse', check: () => Promise.resolve() },
        { name: 'model', check: () => Promise.reject(new UnavailableError('model', 'no champion')) },
      ],
    }));
    const r = await app.inject({ method: 'GET', url: '/readyz' });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toMatchObject({ code: 'PULSE_ERR_UNAVAILABLE', details: { service: 'model', checks: { clickhouse: 'ok' } } });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });
});
