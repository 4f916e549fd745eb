/**
 * API benchmark: `POST /v1/predict` (auth, TypeBox validation, predictor, serialization, metrics hook)
 * against a bare fastify route that parses the same JSON body and returns a constant, both on loopback
 * in the same run, measured with autocannon. Prints req/s and latency p50/p99 of each and the ratio;
 * `--json` prints one JSON line. `--quick` shortens the runs.
 */
import { createRequire } from 'node:module';
import Fastify from 'fastify';
import { buildApp } from '../../api/app.js';
import { parseTokens } from '../../api/auth/tokens.js';
import { loadPredictor } from '../../api/predict/load.js';
import type { Predictor } from '../../api/predict/predictor.js';
import { loadConfig } from '../../common/config.js';
import { UnavailableError } from '../../common/errors.js';
import { silentLogger } from '../../common/logger.js';
import { createMetrics } from '../../common/metrics.js';
import { benchFlags, progress, r, report } from './lib/bench-io.js';

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
}
type Cannon = (o: Record<string, unknown>) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const TOKEN = 'bench-token-0123456789abcdef';
const BODY = JSON.stringify({
  items: [
    { pool: 'pool-1', arch: 'amd64', combination: ['debian@12', 'openssl@3.0', 'python@3.11', 'numpy@1.26'], features: { f_size: 3 } },
  ],
});

const notUsed = (): Promise<never> => Promise.reject(new UnavailableError('bench', 'not used'));

async function main(): Promise<void> {
  const flags = benchFlags();
  const duration = flags.scale < 1 ? 3 : 10;
  const connections = 16;
  const config = loadConfig({ overrides: { logLevel: 'silent' } });
  const logger = silentLogger();
  const metrics = createMetrics({ defaultMetrics: false });
  const loaded = await loadPredictor({ config, logger, metrics });
  let predictor: Predictor = loaded.predictor;
  let predictorKind = 'models part';
  try {
    // Serving works without a champion (the module's baselines); only a failing predict falls back.
    const [probe] = await predictor.predict([{ pool: 'pool-1', arch: 'amd64', combination: ['debian@12'] }]);
    predictorKind = `models part (${probe?.model_version ?? '?'})`;
  } catch (err) {
    // No servable model here: measure the HTTP path with a constant predictor and say so in the result.
    progress(`model not servable (${(err as Error).message}); using a constant predictor`);
    predictorKind = 'constant stub (no servable model)';
    predictor = {
      predict: (items) =>
        Promise.resolve(
          items.map(() => ({ duration_ms: 1, duration_low_ms: 1, duration_high_ms: 1, failure_probability: 0, model_version: 'stub' })),
        ),
      check: () => Promise.resolve(),
    };
  }
  const app = await buildApp({
    logger,
    metrics,
    tokens: parseTokens(`${TOKEN}=read`),
    store: {
      poolFeatures: notUsed,
      latestPoolFeatures: notUsed,
      combinationTrends: notUsed,
      alerts: notUsed,
      directives: notUsed,
      directive: notUsed,
      modelVersions: notUsed,
      check: notUsed,
    },
    predictor,
    issuer: { issue: notUsed },
    jobs: { submit: notUsed },
    readiness: [],
  });
  const bare = Fastify();
  bare.post('/bare', () => Promise.resolve({ predictions: [{ duration_ms: 1 }] }));
  const predictUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
  const run = async (url: string, auth: boolean): Promise<CannonResult> =>
    autocannon({
      url,
      method: 'POST',
      // Load is generated in a worker thread so it does not share the servers' event loop.
      workers: 1,
      connections,
      duration,
      body: BODY,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${TOKEN}` } : {}) },
    });
  try {
    progress(`warm-up (${connections} connections)`);
    await autocannon({
      url: `${predictUrl}/v1/predict`,
      method: 'POST',
      workers: 1,
      connections,
      duration: 1,
      body: BODY,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    });
    progress(`bare fastify route, ${duration} s`);
    const b = await run(`${bareUrl}/bare`, false);
    progress(`/v1/predict, ${duration} s`);
    const p = await run(`${predictUrl}/v1/predict`, true);
    const result = {
      predictor: predictorKind,
      connections,
      durationSeconds: duration,
      predict: { reqPerSec: r(p.requests.average), p50Ms: p.latency.p50, p99Ms: p.latency.p99, non2xx: p.non2xx, errors: p.errors },
      bare: { reqPerSec: r(b.requests.average), p50Ms: b.latency.p50, p99Ms: b.latency.p99, non2xx: b.non2xx, errors: b.errors },
      ratio: r(p.requests.average / Math.max(1, b.requests.average), 3),
    };
    report(flags, result, [
      `API on loopback, ${connections} connections, ${duration} s each, predictor: ${predictorKind}`,
      `  /v1/predict   ${result.predict.reqPerSec} req/s   p50 ${result.predict.p50Ms} ms   p99 ${result.predict.p99Ms} ms   non-2xx ${result.predict.non2xx}`,
      `  bare fastify  ${result.bare.reqPerSec} req/s   p50 ${result.bare.p50Ms} ms   p99 ${result.bare.p99Ms} ms`,
      `  ratio         ${result.ratio} of the bare route's throughput`,
    ]);
  } finally {
    await app.close();
    await bare.close();
    await loaded.close();
  }
}

await main();
