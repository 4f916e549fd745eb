/**
 * `POST /v1/predict` serves the models part's scoring function: against the real ClickHouse (history of
 * finished builds), the API's predictions equal what the models module's predictor returns for the same
 * inputs, field by field. Also: the ingest gateway is mounted behind scope `ingest`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPredictor } from '../../../api/predict/load.js';
import { createRuntime, type Runtime } from '../../../api/server/runtime.js';
import { silentLogger } from '../../../common/logger.js';
import { createMetrics } from '../../../common/metrics.js';
import { createPredictor, createRegistry } from '../../../models/index.js';
import { applySchema, createClickHouse, ident, type ClickHouseClient } from '../../../sinks/index.js';
import { isolatedConfig, uniqueName } from '../../helpers/env.js';

const READ = 'pred-read-token-0123456789';
const INGEST = 'pred-ingest-token-0123456789';
const config = isolatedConfig(uniqueName('apipred'), { 'api.tokens': `${READ}=read,${INGEST}=ingest` });
const logger = silentLogger();
let ch: ClickHouseClient;
let runtime: Runtime;
let loaded: Awaited<ReturnType<typeof loadPredictor>>;
const now = Date.now();
const COMBO = ['debian@12', 'openssl@3.0', 'python@3.11'];

beforeAll(async () => {
  await applySchema(config, logger);
  ch = createClickHouse(config);
  const rows = [41_000, 39_000, 52_000, 47_000, 45_000, 60_000].map((duration, i) => {
    const t = now - 3_600_000 + i * 60_000;
    return {
      event_id: `f${i}`,
      event_time: t,
      ts: Math.floor(t / 1000),
      producer_id: 'it',
      seq: i,
      type: 'FINISHED',
      build_id: `b${i}`,
      job_id: `j${i}`,
      pool: 'pool-p',
      executor: 'e1',
      arch: 'amd64',
      combination: COMBO,
      duration_ms: duration,
      status: i === 5 ? 'FAILED' : 'PASSED',
      feature_names: [],
      feature_values: [],
    };
  });
  await ch.insert({ table: `${ident(config.clickhouse.database).text}.build_events`, values: rows, format: 'JSONEachRow' });
  loaded = await loadPredictor({ config, logger, metrics: createMetrics({ defaultMetrics: false }) });
  runtime = await createRuntime(config, logger, createMetrics({ defaultMetrics: false }), {
    app: true,
    engine: false,
    predictor: loaded.predictor,
  });
}, 120_000);

afterAll(async () => {
  await runtime?.close();
  await loaded?.close();
  await ch?.command({ query: `DROP DATABASE IF EXISTS ${ident(config.clickhouse.database).text}` });
  await ch?.close();
});

describe('/v1/predict on the models module', () => {
  it('returns exactly the models predictor output for a batch', async () => {
    const items = [
      { pool: 'pool-p', arch: 'amd64', combination: COMBO, queued_at: now },
      { pool: 'pool-p', arch: 'amd64', combination: ['alpine@3.19', 'node@20'], queued_at: now },
    ];
    const r = await runtime.app!.inject({
      method: 'POST',
      url: '/v1/predict',
      headers: { authorization: `Bearer ${READ}` },
      payload: { items },
    });
    expect(r.statusCode, r.body).toBe(200);
    const api = r.json<{ predictions: Record<string, number | string>[] }>().predictions;

    // The same module, independently: a predictor over the same registry and ClickHouse history.
    const registry = createRegistry({ clickhouse: ch, database: config.clickhouse.database, dataDir: config.dataDir });
    const direct = createPredictor({ registry, logger, clickhouse: ch, config });
    await direct.loadChampion();
    expect(await direct.warm()).toBe(6);
    const expected = direct.predict(
      items.map((i, k) => ({
        build_id: `x${k}`,
        pool: i.pool,
        arch: i.arch,
        executor: null,
        combination: i.combination,
        at: now,
        features: {},
      })),
    );
    direct.close();
    expect(api).toEqual(
      expected.map((p) => ({
        duration_ms: p.duration_p50_ms,
        duration_low_ms: p.duration_p10_ms,
        duration_high_ms: p.duration_p90_ms,
        failure_probability: p.failure_prob,
        model_version: p.model_version,
      })),
    );
    // No champion is registered in this database: the module serves its baselines, from the history.
    expect(api.map((p) => p.model_version)).toEqual(['baseline', 'baseline']);
    expect(api[0]?.duration_ms).toBeGreaterThanOrEqual(39_000);
    expect(api[0]?.duration_ms).toBeLessThanOrEqual(60_000);
  });

  it('mounts the ingest gateway behind scope ingest', async () => {
    const app = runtime.app!;
    const body = { pool: 'pool-p', job_id: 'x' };
    const read = await app.inject({ method: 'POST', url: '/v1/events/job', headers: { authorization: `Bearer ${READ}` }, payload: body });
    expect(read.statusCode).toBe(403);
    expect(read.json()).toMatchObject({ code: 'PULSE_ERR_FORBIDDEN', details: { scope: 'ingest' } });
    const bad = await app.inject({ method: 'POST', url: '/v1/events/job', headers: { authorization: `Bearer ${INGEST}` }, payload: body });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'PULSE_ERR_VALIDATION' });
  });
});
