/**
 * Access faults: the read-only `analyst` ClickHouse user, against every table and view of the real
 * product schema, can read but neither write, alter, truncate nor drop; and the real app (`pulse
 * serve` wiring) refuses every write route without a token (401), with an unknown token (401) and
 * with a token lacking the route's scope (403). Stops no engine: safe to run next to others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.js';
import { createMetrics } from '../../common/metrics.js';
import type { PulseApp } from '../../api/app.js';
import { loadPredictor } from '../../api/predict/load.js';
import { createRuntime, type Runtime } from '../../api/server/runtime.js';
import { applySchema, createClickHouse, ident, type ClickHouseClient } from '../../sinks/index.js';
import { isolatedConfig, uniqueName } from '../helpers/env.js';
import { say } from './harness.js';
import { dropIsolated } from '../helpers/cleanup.js';

const TOKENS = { read: 'access-read-0123456789abcdef', write: 'access-write-0123456789abcde', ingest: 'access-ingest-0123456789abcd' };
const config = isolatedConfig(uniqueName('access'), {
  'api.tokens': `${TOKENS.read}=read,${TOKENS.write}=write,${TOKENS.ingest}=ingest`,
  'api.rateLimitPerMinute': 1_000_000,
});
const logger = createLogger({ level: 'silent' });
const db = config.clickhouse.database;
let analyst: ClickHouseClient;
let writer: ClickHouseClient;
let runtime: Runtime | undefined;
let closeModel: () => Promise<void> = () => Promise.resolve();

beforeAll(async () => {
  await applySchema(config, logger);
  analyst = createClickHouse(config, { user: 'analyst', password: config.clickhouse.analystPassword });
  writer = createClickHouse(config);
});

afterAll(async () => {
  await runtime?.close();
  await closeModel();
  await analyst?.close();
  await writer?.close();
  await dropIsolated(config);
});

/** The error text of a refused statement, or 'accepted'. */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'accepted';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('fault: access control', () => {
  it('the analyst user reads every table and view but cannot write, alter, truncate or drop any', async () => {
    const rs = await writer.query({
      query: `SELECT name, engine FROM system.tables WHERE database = '${db}' ORDER BY name`,
      format: 'JSONEachRow',
    });
    const tables = await rs.json<{ name: string; engine: string }>();
    expect(tables.length).toBeGreaterThan(10);
    const accepted: string[] = [];
    for (const { name, engine } of tables) {
      const t = ident(`${db}.${name}`).text;
      const read = await outcome(() => analyst.query({ query: `SELECT count() FROM ${t}`, format: 'JSONEachRow' }).then((r) => r.json()));
      if (read !== 'accepted') accepted.push(`${name}: SELECT refused (${read.slice(0, 80)})`);
      const attempts = [
        `INSERT INTO ${t} SELECT * FROM ${t} LIMIT 1`,
        `DROP TABLE ${t}`,
        `TRUNCATE TABLE ${t}`,
        `RENAME TABLE ${t} TO ${ident(`${db}.${name}_renamed`).text}`,
        ...(engine.endsWith('MergeTree') ? [`ALTER TABLE ${t} DELETE WHERE 1`, `ALTER TABLE ${t} ADD COLUMN evil UInt8`] : []),
      ];
      for (const q of attempts) {
        const r = await outcome(() => analyst.command({ query: q }));
        if (!/readonly|not enough privileges|cannot execute/i.test(r)) accepted.push(`${q} → ${r.slice(0, 120)}`);
      }
    }
    for (const q of [`DROP DATABASE ${ident(db).text}`, `CREATE TABLE ${ident(`${db}.evil`).text} (a UInt8) ENGINE = Memory`]) {
      const r = await outcome(() => analyst.command({ query: q }));
      if (!/readonly|not enough privileges|cannot execute/i.test(r)) accepted.push(`${q} → ${r.slice(0, 120)}`);
    }
    const after = await writer.query({ query: `SELECT count() AS n FROM system.tables WHERE database = '${db}'`, format: 'JSONEachRow' });
    const [{ n } = { n: '0' }] = await after.json<{ n: string }>();
    say(`analyst: tried SELECT, INSERT, DROP, TRUNCATE, RENAME, ALTER on ${tables.length} tables/views; ${accepted.length} not refused`);
    expect(accepted).toEqual([]);
    expect(Number(n)).toBe(tables.length);
  });

  it('the app refuses every write route without a token, with an unknown token, and with a token lacking its scope', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const model = await loadPredictor({ config, logger, metrics });
    closeModel = () => model.close();
    runtime = await createRuntime(config, logger, metrics, { app: true, engine: false, predictor: model.predictor });
    const app: PulseApp | undefined = runtime.app;
    if (!app) throw new Error('createRuntime built no app');
    await app.ready();
    const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const writes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => ({ method: m.toUpperCase() as 'POST', url: path.replace(/\{[^}]+\}/g, 'build') })),
    );
    expect(writes.length).toBeGreaterThanOrEqual(3);
    const wrong: string[] = [];
    for (const route of writes) {
      const call = async (token?: string) =>
        (
          await app.inject({
            ...route,
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
            payload: '{}',
          })
        ).statusCode;
      const none = await call();
      const unknown = await call('not-a-token-0123456789abcdef');
      const byScope = await Promise.all(Object.values(TOKENS).map((t) => call(t)));
      const refused = byScope.filter((s) => s === 403).length;
      // Every write route needs exactly one scope: the two other single-scope tokens are refused.
      if (none !== 401 || unknown !== 401 || refused !== 2)
        wrong.push(`${route.method} ${route.url}: no token ${none}, unknown ${unknown}, read/write/ingest ${byScope.join('/')}`);
    }
    say(`app: ${writes.length} write routes × (no token, unknown token, 3 single-scope tokens); ${wrong.length} not refused as expected`);
    expect(wrong).toEqual([]);
  });
});
