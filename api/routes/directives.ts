/**
 * Directives: list and fetch (scope read) with acks and measured effect; issue a manual scaling or
 * cache-warming directive (scope write, rate limited), published and recorded like the engine's.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError, ValidationError } from '../../common/errors.js';
import { Combination, EpochMs, FilterString, Limit, Nullable, PoolName, errorResponses } from '../schemas/common.js';
import { writeRateLimit, type RouteContext } from './context.js';

const Warm = Type.Object(
  { combination: Combination, expected_saving_ms: Type.Number({ minimum: 0, maximum: 86_400_000, default: 0 }) },
  { additionalProperties: false },
);

const DirectiveSchema = Type.Object({
  directive_id: Type.String(),
  pool: Type.String(),
  kind: Type.String(),
  source: Type.String(),
  policy: Type.String(),
  issued_at: Type.Number(),
  valid_until: Type.Number(),
  desired_slots: Nullable(Type.Number()),
  warm: Type.Array(Type.Object({ combination: Type.Array(Type.String()), expected_saving_ms: Type.Number() })),
  reason: Type.Record(Type.String(), Type.Number()),
  reason_text: Type.String(),
  topic: Type.String(),
  acks: Type.Array(Type.Object({ executor: Type.String(), status: Type.String(), reason: Type.String(), acked_at: Type.Number() })),
  effect: Type.Object({
    status: Type.String(),
    measured_at: Nullable(Type.Number()),
    window_ms: Nullable(Type.Number()),
    queue_wait_p95_before_ms: Nullable(Type.Number()),
    queue_wait_p95_after_ms: Nullable(Type.Number()),
    hit_ratio_before: Nullable(Type.Number()),
    hit_ratio_after: Nullable(Type.Number()),
  }),
});

const ManualDirective = Type.Object(
  {
    pool: PoolName,
    kind: Type.Union([Type.Literal('SCALING'), Type.Literal('CACHE_WARM')]),
    desired_slots: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    warm: Type.Optional(Type.Array(Warm, { minItems: 1, maxItems: 200 })),
    valid_for_ms: Type.Optional(Type.Integer({ minimum: 1000, maximum: 7 * 86_400_000, default: 600_000 })),
    reason_text: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

const Issued = Type.Object({
  directive_id: Type.String(),
  pool: Type.String(),
  kind: Type.String(),
  topic: Type.String(),
  partition: Type.Integer(),
  offset: Type.String(),
  issued_at: Type.Number(),
  valid_until: Type.Number(),
});

/** Registers the directive routes. */
export function directiveRoutes(ctx: RouteContext): FastifyPluginCallbackTypebox {
  return (app, _opts, done) => {
    const read = ctx.authorize('read');
    app.get(
      '/v1/directives',
      {
        preValidation: read,
        schema: {
          tags: ['read'],
          summary: 'directives, newest first, with acks and measured effect',
          security: [{ bearer: [] }],
          querystring: Type.Object(
            {
              pool: Type.Optional(FilterString('only this pool')),
              kind: Type.Optional(FilterString('SCALING or CACHE_WARM')),
              source: Type.Optional(FilterString('engine or manual')),
              from: Type.Optional(EpochMs('issued_at >= from')),
              limit: Type.Optional(Limit(1000, 100)),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ directives: Type.Array(DirectiveSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const { limit = 100, ...filters } = request.query;
        return { directives: await ctx.store.directives({ ...filters, limit }) };
      },
    );
    app.get(
      '/v1/directives/:id',
      {
        preValidation: read,
        schema: {
          tags: ['read'],
          summary: 'one directive with its acks and measured effect',
          security: [{ bearer: [] }],
          params: Type.Object({ id: FilterString('directive id') }),
          response: { 200: DirectiveSchema, ...errorResponses },
        },
      },
      async (request) => {
        const d = await ctx.store.directive(request.params.id);
        if (!d) throw new NotFoundError('directive', request.params.id);
        return d;
      },
    );
    app.post(
      '/v1/directives',
      {
        preValidation: ctx.authorize('write'),
        config: writeRateLimit(ctx.limits),
        schema: {
          tags: ['write'],
          summary: 'issue a manual scaling (desired_slots) or cache-warming (warm) directive for a pool',
          security: [{ bearer: [] }],
          body: ManualDirective,
          response: { 201: Issued, ...errorResponses },
        },
      },
      async (request, reply) => {
        const b = request.body;
        if (b.kind === 'SCALING' && b.desired_slots === undefined)
          throw new ValidationError('body.desired_slots', 'is required for SCALING');
        if (b.kind === 'CACHE_WARM' && b.warm === undefined) throw new ValidationError('body.warm', 'is required for CACHE_WARM');
        if (b.kind === 'SCALING' && b.warm !== undefined) throw new ValidationError('body.warm', 'is only allowed for CACHE_WARM');
        if (b.kind === 'CACHE_WARM' && b.desired_slots !== undefined)
          throw new ValidationError('body.desired_slots', 'is only allowed for SCALING');
        const issued = await ctx.issuer.issue({
          pool: b.pool,
          kind: b.kind,
          source: 'manual',
          policy: 'manual',
          desiredSlots: b.desired_slots ?? null,
          warm: (b.warm ?? []).map((w) => ({ combination: w.combination, expected_saving_ms: w.expected_saving_ms ?? 0 })),
          reason: b.kind === 'SCALING' ? { requested_slots: b.desired_slots ?? 0 } : { requested_combinations: b.warm?.length ?? 0 },
          reasonText: b.reason_text ?? 'manual directive',
          validForMs: b.valid_for_ms ?? 600_000,
        });
        const d = issued.directive;
        return reply.code(201).send({
          directive_id: d.directive_id,
          pool: d.pool,
          kind: d.kind,
          topic: issued.topic,
          partition: issued.partition,
          offset: issued.offset,
          issued_at: d.issued_at,
          valid_until: d.valid_until,
        });
      },
    );
    done();
  };
}
