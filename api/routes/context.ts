/** What every route group receives from `buildApp`. */
import type { Authorize } from '../plugins/auth.js';
import type { DirectiveIssuer } from '../directives/issuer.js';
import type { JobSink } from '../jobs/job-sink.js';
import type { Predictor } from '../predict/predictor.js';
import type { ApiStore } from '../store/types.js';

/** Limits applied by the routes. */
export interface RouteLimits {
  /** Most items in one `POST /v1/predict` or `POST /v1/jobs` batch. */
  maxBatch: number;
  /** Write-route rate limit per token per minute. */
  rateLimitPerMinute: number;
}

/** Collaborators of the route groups. */
export interface RouteContext {
  authorize: Authorize;
  store: ApiStore;
  predictor: Predictor;
  issuer: DirectiveIssuer;
  jobs: JobSink;
  limits: RouteLimits;
  clock: () => number;
}

/** Route config that turns on the write-route rate limit (@fastify/rate-limit). */
export function writeRateLimit(limits: RouteLimits): { rateLimit: { max: number; timeWindow: number } } {
  return { rateLimit: { max: limits.rateLimitPerMinute, timeWindow: 60_000 } };
}
