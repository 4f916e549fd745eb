/** `POST /v1/predict`: batch predictions of build duration and failure probability (scope read). */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { PayloadTooLargeError } from '../../common/errors.js';
import { Combination, EpochMs, PoolName, errorResponses } from '../schemas/common.js';
import type { RouteContext } from './context.js';

const PredictItem = Type.Object(
  {
    pool: PoolName,
    arch: Type.String({ minLength: 1, maxLength: 32, default: 'amd64' }),
    combination: Combination,
    executor: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()])),
    features: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9_]{1,64}$' }), Type.Number(), { maxProperties: 64 })),
    queued_at: Type.Optional(EpochMs('when the job was queued')),
  },
  { additionalProperties: false },
);

const PredictionSchema = Type.Object({
  duration_ms: Type.Number(),
  duration_low_ms: Type.Number(),
  duration_high_ms: Type.Number(),
  failure_probability: Type.Number(),
  model_version: Type.String(),
});

/** Registers the prediction route. */
export function predictRoutes(ctx: RouteContext): FastifyPluginCallbackTypebox {
  return (app, _opts, done) => {
    app.post(
      '/v1/predict',
      {
        preValidation: ctx.authorize('read'),
        schema: {
          tags: ['read'],
          summary: 'predict build duration (with interval) and failure probability for a batch of jobs',
          security: [{ bearer: [] }],
          body: Type.Object({ items: Type.Array(PredictItem, { minItems: 1 }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ predictions: Type.Array(PredictionSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const { items } = request.body;
        if (items.length > ctx.limits.maxBatch) throw new PayloadTooLargeError(ctx.limits.maxBatch, items.length, 'items');
        return { predictions: await ctx.predictor.predict(items) };
      },
    );
    done();
  };
}
