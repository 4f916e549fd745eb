/** Read routes: pools with their current features, a pool's feature series, combination trends. */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { EpochMs, FilterString, Limit, Nullable, errorResponses } from '../schemas/common.js';
import type { RouteContext } from './context.js';

const Window = Type.Union([Type.Literal('1m'), Type.Literal('5m'), Type.Literal('1h')], {
  default: '1m',
  description: 'feature window size',
});

const FeatureRow = Type.Object({
  pool: Type.String(),
  window_start: Type.Number({ description: 'window start, ms since epoch' }),
  builds_finished: Type.Number(),
  builds_failed: Type.Number(),
  duration_p50_ms: Nullable(Type.Number()),
  duration_p95_ms: Nullable(Type.Number()),
  queue_wait_p95_ms: Nullable(Type.Number()),
  cache_hits: Type.Number(),
  cache_misses: Type.Number(),
  cpu_util_avg: Nullable(Type.Number()),
});

const Trend = Type.Object({
  combination: Type.String(),
  pool: Type.String(),
  builds: Type.Number(),
  failures: Type.Number(),
  failure_rate: Type.Number(),
  duration_p50_ms: Nullable(Type.Number()),
  duration_change: Nullable(Type.Number()),
});

/** Registers the pool and combination routes (scope read). */
export function poolRoutes(ctx: RouteContext): FastifyPluginCallbackTypebox {
  return (app, _opts, done) => {
    const read = ctx.authorize('read');
    app.get(
      '/v1/pools',
      {
        preValidation: read,
        schema: {
          tags: ['read'],
          summary: 'pools with their latest feature row',
          security: [{ bearer: [] }],
          querystring: Type.Object(
            { window: Type.Optional(Window), pool: Type.Optional(FilterString('only this pool')) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ window: Type.String(), pools: Type.Array(FeatureRow) }), ...errorResponses },
        },
      },
      async (request) => {
        const window = request.query.window ?? '1m';
        return { window, pools: await ctx.store.latestPoolFeatures(window, request.query.pool) };
      },
    );
    app.get(
      '/v1/pools/:pool/features',
      {
        preValidation: read,
        schema: {
          tags: ['read'],
          summary: "a pool's feature series, newest first",
          security: [{ bearer: [] }],
          params: Type.Object({ pool: FilterString('pool name') }),
          querystring: Type.Object(
            {
              window: Type.Optional(Window),
              from: Type.Optional(EpochMs('window_start >= from')),
              to: Type.Optional(EpochMs('window_start < to')),
              limit: Type.Optional(Limit(10_000, 500)),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ pool: Type.String(), window: Type.String(), features: Type.Array(FeatureRow) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { window = '1m', from, to, limit = 500 } = request.query;
        const features = await ctx.store.poolFeatures({ window, pool: request.params.pool, from, to, limit });
        return { pool: request.params.pool, window, features };
      },
    );
    app.get(
      '/v1/combinations/trends',
      {
        preValidation: read,
        schema: {
          tags: ['read'],
          summary: 'module combinations: builds, failure rate and duration change over a period',
          security: [{ bearer: [] }],
          querystring: Type.Object(
            {
              pool: Type.Optional(FilterString('only this pool')),
              module: Type.Optional(FilterString('combinations containing this text, e.g. openssl@')),
              since_ms: Type.Optional(Type.Integer({ minimum: 60_000, maximum: 90 * 86_400_000, default: 86_400_000 })),
              limit: Type.Optional(Limit(1000, 50)),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ trends: Type.Array(Trend) }), ...errorResponses },
        },
      },
      async (request) => {
        const { pool, module, since_ms = 86_400_000, limit = 50 } = request.query;
        return { trends: await ctx.store.combinationTrends({ pool, module, sinceMs: since_ms, limit }) };
      },
    );
    done();
  };
}
