/** `POST /v1/jobs`: submit build jobs to the `jobs` topic (scope write, rate limited). */
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { PayloadTooLargeError } from '../../common/errors.js';
import type { BuildJob } from '../../ingest/index.js';
import { principalOf } from '../plugins/auth.js';
import { Combination, PoolName, errorResponses } from '../schemas/common.js';
import { writeRateLimit, type RouteContext } from './context.js';

const JobIn = Type.Object(
  {
    pool: PoolName,
    arch: Type.Optional(Type.String({ minLength: 1, maxLength: 32, default: 'amd64' })),
    combination: Combination,
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000, default: 0 })),
    job_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'default: a new UUID' })),
  },
  { additionalProperties: false },
);

/** Registers the job submission route. */
export function jobRoutes(ctx: RouteContext, producerId: string): FastifyPluginCallbackTypebox {
  let seq = 0;
  return (app, _opts, done) => {
    app.post(
      '/v1/jobs',
      {
        preValidation: ctx.authorize('write'),
        config: writeRateLimit(ctx.limits),
        schema: {
          tags: ['write'],
          summary: 'submit build jobs; 202 once Kafka acknowledged all of them',
          security: [{ bearer: [] }],
          body: Type.Object({ jobs: Type.Array(JobIn, { minItems: 1 }) }, { additionalProperties: false }),
          response: { 202: Type.Object({ accepted: Type.Integer(), job_ids: Type.Array(Type.String()) }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { jobs } = request.body;
        if (jobs.length > ctx.limits.maxBatch) throw new PayloadTooLargeError(ctx.limits.maxBatch, jobs.length, 'jobs');
        const now = ctx.clock();
        const submittedBy = principalOf(request)?.id ?? 'api';
        const values: BuildJob[] = jobs.map((j) => {
          const id = j.job_id ?? randomUUID();
          return {
            event_id: `job-${id}`,
            event_time: now,
            producer_id: producerId,
            seq: seq++,
            job_id: id,
            pool: j.pool,
            arch: j.arch ?? 'amd64',
            combination: j.combination,
            priority: j.priority ?? 0,
            submitted_by: submittedBy,
          };
        });
        await ctx.jobs.submit(values);
        return reply.code(202).send({ accepted: values.length, job_ids: values.map((v) => v.job_id) });
      },
    );
    done();
  };
}
