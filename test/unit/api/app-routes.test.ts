import { afterEach, describe, expect, it } from 'vitest';
import type { PulseApp } from '../../../api/app.js';
import { ALL, READ, WRITE, bearer, fakeApp } from './fakes.js';

let app: PulseApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('routes over fakes', () => {
  it('POST /v1/predict returns the predictor output for every item, in order', async () => {
    const f = await fakeApp();
    app = f.app;
    const items = [
      { pool: 'p1', arch: 'amd64', combination: ['base@1', 'a@2'] },
      { pool: 'p2', arch: 'arm64', combination: ['base@1'], features: { f_size: 3 } },
    ];
    const r = await app.inject({ method: 'POST', url: '/v1/predict', headers: bearer(READ), payload: { items } });
    expect(r.statusCode).toBe(200);
    const body = r.json<{ predictions: { duration_ms: number; model_version: string }[] }>();
    expect(body.predictions.map((p) => p.duration_ms)).toEqual([2000, 1000]);
    expect(f.predictor.inputs).toEqual(items);
  });

  it('filters reach the store as given', async () => {
    const f = await fakeApp();
    app = f.app;
    const evil = "' OR 1=1 --";
    await app.inject({ method: 'GET', url: `/v1/alerts?state=${encodeURIComponent(evil)}&limit=5`, headers: bearer(READ) });
    await app.inject({ method: 'GET', url: `/v1/pools/${encodeURIComponent(evil)}/features?window=5m&from=10`, headers: bearer(READ) });
    expect(f.store.calls).toEqual([
      { method: 'alerts', args: { state: evil, limit: 5 } },
      { method: 'poolFeatures', args: { window: '5m', pool: evil, from: 10, to: undefined, limit: 500 } },
    ]);
  });

  it('POST /v1/jobs builds BuildJob records and answers 202 with their ids', async () => {
    const f = await fakeApp();
    app = f.app;
    const r = await app.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: bearer(WRITE),
      payload: {
        jobs: [
          { pool: 'p1', combination: ['base@1', 'x@2'], job_id: 'j-1' },
          { pool: 'p2', combination: ['base@1'] },
        ],
      },
    });
    expect(r.statusCode).toBe(202);
    const body = r.json<{ accepted: number; job_ids: string[] }>();
    expect(body.accepted).toBe(2);
    expect(body.job_ids[0]).toBe('j-1');
    expect(f.jobs.jobs.map((j) => [j.job_id, j.pool, j.arch, j.priority, j.submitted_by])).toEqual([
      ['j-1', 'p1', 'amd64', 0, 'token-2'],
      [body.job_ids[1], 'p2', 'amd64', 0, 'token-2'],
    ]);
  });

  it('serves the OpenAPI document with every /v1 route and the UI', async () => {
    ({ app } = await fakeApp());
    const doc = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(doc.statusCode).toBe(200);
    const spec = doc.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(spec.openapi).toMatch(/^3\./);
    for (const p of [
      '/v1/pools',
      '/v1/pools/{pool}/features',
      '/v1/combinations/trends',
      '/v1/predict',
      '/v1/alerts',
      '/v1/directives',
      '/v1/directives/{id}',
      '/v1/models',
      '/v1/jobs',
    ])
      expect(Object.keys(spec.paths)).toContain(p);
    const ui = await app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger-ui');
    const asset = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body.length).toBeGreaterThan(100_000);
  });

  it('/metrics exposes request durations from the one registry', async () => {
    const f = await fakeApp();
    app = f.app;
    await app.inject({ method: 'GET', url: '/v1/models', headers: bearer(ALL) });
    const r = await app.inject({ method: 'GET', url: '/metrics' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('api_request_duration_seconds_count{method="GET",route="/v1/models",status="200"} 1');
    expect(await f.metrics.registry.getSingleMetricAsString('api_request_duration_seconds')).toContain('/v1/models');
  });
});
