/**
 * API fuzzing (property-based, bounded): every route of the app `pulse serve` builds — same wiring
 * (createRuntime: real ClickHouse store, real Kafka job producer, directive publisher and ingest gateway,
 * the models' predictor, the dashboard) on an isolated topic prefix and database — is hit through
 * `app.inject()` with random and boundary inputs (huge/negative numbers, NaN strings, unicode, injection
 * strings, wrong types, missing fields, oversized arrays) and valid, invalid or missing tokens.
 * Asserts: never a 5xx other than a documented 503 (dependency unavailable) and the app still answers;
 * on every write route no token → 401 and a token without the scope → 403.
 * Stops no engine: safe to run next to others.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.js';
import { createMetrics } from '../../common/metrics.js';
import { dashboardExtension, RANGE_IDS } from '../../api/dashboard/index.js';
import type { PulseApp } from '../../api/app.js';
import { loadPredictor } from '../../api/predict/load.js';
import { createRuntime, type Runtime } from '../../api/server/runtime.js';
import { applySchema } from '../../sinks/index.js';
import { isolatedConfig, uniqueName } from '../helpers/env.js';
import { say } from './harness.js';
import { dropIsolated } from '../helpers/cleanup.js';

const SSE_ROUTE = '/dashboard/events';
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const TOKENS = {
  all: 'fuzz-all-0123456789abcdef',
  read: 'fuzz-read-0123456789abcdef',
  write: 'fuzz-write-0123456789abcd',
  ingest: 'fuzz-ingest-0123456789abc',
};
/** Scope each non-GET route needs (a new write route must be added here, else the coverage test fails). */
const WRITE_ROUTES: Record<string, 'read' | 'write' | 'ingest'> = {
  'POST /v1/directives': 'write',
  'POST /v1/jobs': 'write',
  'POST /v1/events/{family}': 'ingest',
  'POST /v1/predict': 'read',
};

const config = isolatedConfig(uniqueName('fuzz'), {
  'api.tokens': `${TOKENS.all}=read+write+ingest,${TOKENS.read}=read,${TOKENS.write}=write,${TOKENS.ingest}=ingest`,
  'api.rateLimitPerMinute': 1_000_000,
});
const logger = createLogger({ level: 'silent' });
let runtime: Runtime;
let app: PulseApp;
let closeModel: () => Promise<void> = () => Promise.resolve();
let routes: { method: string; path: string }[] = [];

const nasty = fc.oneof(
  fc.constantFrom('', ' ', 'NaN', '-1', '0', '1e309', '-9223372036854775809', '18446744073709551616', 'null', 'true', '[]', '{}'),
  fc.constantFrom(
    "'; DROP DATABASE x; --",
    "' OR 1=1 --",
    '\\',
    '%00',
    '../../etc/passwd',
    '<script>x</script>',
    '${x}',
    '\u0000',
    '\uffff',
    '💥🚀',
    'a'.repeat(5000),
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer().map(String),
  fc.double().map(String),
);
const anyJson = fc.oneof(
  { depthSize: 'small' },
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308, -1, 0, 0.5),
  nasty,
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 0, maxLength: 1500 }),
);
const tokenArb = fc.constantFrom<string | undefined>(
  undefined,
  TOKENS.all,
  TOKENS.read,
  TOKENS.write,
  TOKENS.ingest,
  'x',
  'fuzz-all-0123456789abcdeX',
);
/** Mutations of a body the route may accept: known fields with wrong or boundary values, missing, extra. */
const bodyArb = fc.oneof(
  anyJson,
  fc.dictionary(
    fc.constantFrom('pool', 'slots', 'kind', 'builds', 'jobs', 'items', 'combination', 'build_id', 'event_id', 'reason', 'ttl_ms', 'arch'),
    anyJson,
    { maxKeys: 6 },
  ),
  fc.record({
    builds: fc.array(fc.dictionary(fc.constantFrom('pool', 'arch', 'combination', 'executor', 'build_id'), anyJson), { maxLength: 1200 }),
  }),
);

function fill(path: string, values: string[]): string {
  let i = 0;
  return path.replace(/\{[^}]+\}/g, () => encodeURIComponent(values[i++] ?? 'x'));
}

beforeAll(async () => {
  await applySchema(config, logger);
  const metrics = createMetrics({ defaultMetrics: false });
  const model = await loadPredictor({ config, logger, metrics });
  closeModel = () => model.close();
  runtime = await createRuntime(config, logger, metrics, {
    app: true,
    engine: false,
    predictor: model.predictor,
    extensions: ({ clickhouse }) => [dashboardExtension({ clickhouse, config, logger })],
  });
  if (!runtime.app) throw new Error('createRuntime built no app');
  app = runtime.app;
  await app.ready();
  const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => ({ method: m.toUpperCase(), path })),
  );
  for (const extra of ['/metrics', '/docs']) if (!routes.some((r) => r.path === extra)) routes.push({ method: 'GET', path: extra });
  say(`fuzzing ${routes.length} routes × ${RUNS} runs: ${routes.map((r) => `${r.method} ${r.path}`).join(', ')}`);
});

afterAll(async () => {
  await runtime?.close();
  await closeModel();
  await dropIsolated(config);
});

describe('API fuzzing', () => {
  it('knows the scope of every non-GET route', () => {
    expect(routes.length).toBeGreaterThanOrEqual(12);
    const unknown = routes.filter((r) => r.method !== 'GET' && !(`${r.method} ${r.path}` in WRITE_ROUTES));
    expect(unknown).toEqual([]);
  });

  it('never answers 5xx (except a documented 503) nor crashes, on any route', async () => {
    let requests = 0;
    const statuses = new Map<number, number>();
    for (const route of routes) {
      if (route.path === SSE_ROUTE) continue;
      await fc.assert(
        fc.asyncProperty(
          fc.array(nasty, { minLength: 2, maxLength: 2 }),
          fc.dictionary(
            fc.oneof(
              fc.constantFrom('limit', 'from', 'to', 'window', 'entity', 'status', 'pool', 'since', 'until', 'kind', 'cursor'),
              fc.string({ maxLength: 8 }),
            ),
            nasty,
            { maxKeys: 5 },
          ),
          bodyArb,
          tokenArb,
          fc.boolean(),
          async (params, query, body, token, asText) => {
            const headers: Record<string, string> = {};
            if (token !== undefined) headers.authorization = `Bearer ${token}`;
            const withBody = route.method !== 'GET';
            if (withBody) headers['content-type'] = asText ? 'text/plain' : 'application/json';
            const res = await app.inject({
              method: route.method as 'GET',
              url: fill(route.path, params),
              query,
              headers,
              ...(withBody ? { payload: asText ? String(JSON.stringify(body)) : JSON.stringify(body) } : {}),
            });
            requests++;
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            const documented503 = res.statusCode === 503 && /UNAVAILABLE/i.test(res.body);
            if (res.statusCode >= 500 && !documented503)
              throw new Error(`${route.method} ${route.path} → ${res.statusCode}: ${res.body.slice(0, 300)}`);
          },
        ),
        { numRuns: RUNS, endOnFailure: true },
      );
    }
    // The SSE stream never ends once accepted: only invalid `range` values are fuzzed there (must be 4xx).
    await fc.assert(
      fc.asyncProperty(
        nasty.filter((v) => !(RANGE_IDS as readonly string[]).includes(v)),
        tokenArb,
        async (range, token) => {
          const res = await app.inject({
            method: 'GET',
            url: SSE_ROUTE,
            query: { range },
            headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
          });
          requests++;
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode < 400 || res.statusCode >= 500) throw new Error(`${SSE_ROUTE}?range=${range} → ${res.statusCode}`);
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    say(`sent ${requests} requests; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(requests).toBe(routes.length * RUNS);
  });

  it('refuses write routes without a token (401) and with a token lacking the scope (403)', async () => {
    // Auth must come before body validation: an empty body still gets 401/403, not 400.
    const wrong: string[] = [];
    for (const [key, scope] of Object.entries(WRITE_ROUTES)) {
      const [method = 'POST', path = ''] = key.split(' ');
      const url = fill(path, ['build']);
      const cases: [string, string | undefined, number][] = [
        ['no token', undefined, 401],
        ['unknown token', 'not-a-configured-token-xx', 401],
        ...Object.entries(TOKENS)
          .filter(([name]) => name !== 'all' && name !== scope)
          .map(([name, token]): [string, string, number] => [`${name}-only token`, token, 403]),
      ];
      for (const [what, token, expected] of cases) {
        const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
        const res = await app.inject({ method: method as 'POST', url, payload: {}, headers });
        if (res.statusCode !== expected) wrong.push(`${key} with ${what}: ${res.statusCode}, expected ${expected}`);
      }
      say(`${key} (scope ${scope}): checked ${cases.length} unauthorized cases`);
    }
    expect(wrong).toEqual([]);
  });
});
