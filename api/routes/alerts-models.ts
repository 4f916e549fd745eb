/** Read routes: alerts (alerting part's `alerts` table) and model versions (`model_versions`). */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { EpochMs, FilterString, Limit, Nullable, errorResponses } from '../schemas/common.js';
import type { RouteContext } from './context.js';

const AlertSchema = Type.Object({
  alert_id: Type.String(),
  alert_key: Type.String(),
  detector: Type.String(),
  entity_type: Type.String(),
  entity: Type.String(),
  metric: Type.String(),
  severity: Type.String(),
  state: Type.String(),
  score: Type.Number(),
  value: Type.Number(),
  expected_low: Type.Number(),
  expected_high: Type.Number(),
  started_at: Type.Number(),
  event_time: Type.Number(),
});

const ModelSchema = Type.Object({
  version: Type.String(),
  status: Type.String(),
  created_at: Type.Number(),
  promoted_at: Nullable(Type.Number()),
  backend: Type.String(),
  trained_rows: Type.Number(),
  holdout_rows: Type.Number(),
  metrics: Type.Record(Type.String(), Type.Number()),
  decision: Type.String(),
});

/** Registers `GET /v1/alerts` and `GET /v1/models` (scope read). */
export function alertAndModelRoutes(ctx: RouteContext): FastifyPluginCallbackTypebox {
  return (app, _opts, done) => {
    const read = ctx.authorize('read');
    app.get(
      '/v1/alerts',
      {
        preValidation: read,
        schema: {
          tags: ['read'],
          summary: 'latest state of alerts, newest first',
          security: [{ bearer: [] }],
          querystring: Type.Object(
            {
              state: Type.Optional(FilterString('FIRING or RESOLVED')),
              severity: Type.Optional(FilterString('INFO, WARNING or CRITICAL')),
              entity: Type.Optional(FilterString('pool, combination or executor')),
              detector: Type.Optional(FilterString('detector name')),
              from: Type.Optional(EpochMs('event_time >= from')),
              limit: Type.Optional(Limit(5000, 200)),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ alerts: Type.Array(AlertSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const { limit = 200, ...filters } = request.query;
        return { alerts: await ctx.store.alerts({ ...filters, limit }) };
      },
    );
    app.get(
      '/v1/models',
      {
        preValidation: read,
        schema: {
          tags: ['read'],
          summary: 'registered model versions with their evaluation metrics',
          security: [{ bearer: [] }],
          querystring: Type.Object(
            {
              status: Type.Optional(FilterString('champion, challenger or retired')),
              backend: Type.Optional(FilterString('TF.js backend, e.g. wasm')),
              limit: Type.Optional(Limit(1000, 50)),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ models: Type.Array(ModelSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const { limit = 50, ...filters } = request.query;
        return { models: await ctx.store.modelVersions({ ...filters, limit }) };
      },
    );
    done();
  };
}
