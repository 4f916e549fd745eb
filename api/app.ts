/**
 * `buildApp(deps)`: the fastify application. One module per concern — errors, auth, rate limit, OpenAPI,
 * metrics, health, then the route groups under /v1 and any extensions (ingest gateway, dashboard).
 * Nothing here opens a connection: every collaborator comes in through {@link AppDeps}.
 */
import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { RateLimitedError } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { Metrics } from '../common/metrics.js';
import type { TokenTable } from './auth/tokens.js';
import type { DirectiveIssuer } from './directives/issuer.js';
import type { JobSink } from './jobs/job-sink.js';
import { bearerToken, createAuthorize, type Authorize } from './plugins/auth.js';
import { registerErrorHandling } from './plugins/errors.js';
import { registerHealth, type ReadinessCheck } from './plugins/health.js';
import { registerMetrics } from './plugins/metrics.js';
import { registerOpenApi } from './plugins/openapi.js';
import type { Predictor } from './predict/predictor.js';
import { alertAndModelRoutes } from './routes/alerts-models.js';
import type { RouteContext, RouteLimits } from './routes/context.js';
import { directiveRoutes } from './routes/directives.js';
import { jobRoutes } from './routes/jobs.js';
import { poolRoutes } from './routes/pools.js';
import { predictRoutes } from './routes/predict.js';
import type { ApiStore } from './store/types.js';

/** An extra route group (ingest gateway, dashboard) registered after the core routes. */
export type AppExtension = (app: FastifyInstance, ctx: { authorize: Authorize }) => Promise<void>;

/** Limits of the app (defaults in brackets). */
export interface AppLimits extends RouteLimits {
  /** Largest request body, bytes [1 MiB]. */
  bodyLimitBytes: number;
}

/** Everything the app needs. */
export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  tokens: TokenTable;
  store: ApiStore;
  predictor: Predictor;
  issuer: DirectiveIssuer;
  jobs: JobSink;
  readiness: readonly ReadinessCheck[];
  limits?: Partial<AppLimits>;
  clock?: () => number;
  /** Producer id of messages the API writes (jobs). */
  producerId?: string;
  /** Version shown in the OpenAPI document. */
  version?: string;
  extensions?: readonly AppExtension[];
}

/** The app type (TypeBox type provider). */
export type PulseApp = FastifyInstance;

/** Builds the app; call `.ready()` / `.listen()` / `.inject()` on it, and `.close()` at the end. */
export async function buildApp(deps: AppDeps): Promise<PulseApp> {
  const limits: AppLimits = { bodyLimitBytes: 1024 * 1024, rateLimitPerMinute: 300, maxBatch: 1000, ...deps.limits };
  // Typed as a plain instance: route groups declare the TypeBox type provider themselves.
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger.child({ component: 'api' }),
    disableRequestLogging: true,
    bodyLimit: limits.bodyLimitBytes,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: false } },
  }) as unknown as FastifyInstance;

  registerErrorHandling(app, deps.metrics);
  await app.register(rateLimit, {
    global: false,
    // Rate limits are per token (its digest, never the token itself), else per client address.
    keyGenerator: (request) => {
      const token = bearerToken(request);
      return token ? `t:${createHash('sha256').update(token).digest('hex').slice(0, 24)}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) => new RateLimitedError(context.max, 60_000, context.ttl),
  });
  await registerOpenApi(app, deps.version ?? '0.1.0');
  registerMetrics(app, deps.metrics);
  registerHealth(app, deps.readiness);

  const authorize = createAuthorize(deps.tokens);
  const ctx: RouteContext = {
    authorize,
    store: deps.store,
    predictor: deps.predictor,
    issuer: deps.issuer,
    jobs: deps.jobs,
    limits,
    clock: deps.clock ?? Date.now,
  };
  await app.register(poolRoutes(ctx));
  await app.register(predictRoutes(ctx));
  await app.register(alertAndModelRoutes(ctx));
  await app.register(directiveRoutes(ctx));
  await app.register(jobRoutes(ctx, deps.producerId ?? 'pulse-api'));
  for (const extend of deps.extensions ?? []) await extend(app, { authorize });
  return app;
}
