/** Fakes of the api part's own interfaces (store, predictor, issuer, job sink) for app.inject() tests. */
import { createMetrics } from '../../../common/metrics.js';
import { silentLogger } from '../../../common/logger.js';
import { buildApp, type AppDeps, type PulseApp } from '../../../api/app.js';
import { parseTokens } from '../../../api/auth/tokens.js';
import type { DirectiveDraft, DirectiveIssuer } from '../../../api/directives/issuer.js';
import type { JobSink } from '../../../api/jobs/job-sink.js';
import type { PredictInput, Prediction, Predictor } from '../../../api/predict/predictor.js';
import type { ApiStore, DirectiveView } from '../../../api/store/types.js';
import type { BuildJob } from '../../../ingest/index.js';

export const READ = 'read-token-0123456789abcdef';
export const WRITE = 'write-token-0123456789abcdef';
export const ALL = 'all-token-0123456789abcdef-xyz';
export const TOKENS = `${READ}=read,${WRITE}=write,${ALL}=read+write+ingest`;

/** A store that records every query and answers with canned rows. */
export function fakeStore(): ApiStore & { calls: { method: string; args: unknown }[]; directivesById: Map<string, DirectiveView> } {
  const calls: { method: string; args: unknown }[] = [];
  const directivesById = new Map<string, DirectiveView>();
  const rec =
    <T>(method: string, answer: T) =>
    (args: unknown): Promise<T> => {
      calls.push({ method, args });
      return Promise.resolve(answer);
    };
  return {
    calls,
    directivesById,
    poolFeatures: rec('poolFeatures', [
      {
        pool: 'p1',
        window_start: 60_000,
        builds_finished: 3,
        builds_failed: 1,
        duration_p50_ms: 1000,
        duration_p95_ms: 2000,
        queue_wait_p95_ms: null,
        cache_hits: 5,
        cache_misses: 1,
        cpu_util_avg: 0.5,
      },
    ]),
    latestPoolFeatures: (window, pool) => {
      calls.push({ method: 'latestPoolFeatures', args: { window, pool } });
      return Promise.resolve([]);
    },
    combinationTrends: rec('combinationTrends', []),
    alerts: rec('alerts', []),
    directives: rec('directives', [...directivesById.values()]),
    directive: (id) => {
      calls.push({ method: 'directive', args: id });
      return Promise.resolve(directivesById.get(id));
    },
    modelVersions: rec('modelVersions', []),
    check: () => Promise.resolve(),
  };
}

/** A predictor whose duration is 1000 ms per module; failure 0.1. */
export function fakePredictor(): Predictor & { inputs: PredictInput[] } {
  const inputs: PredictInput[] = [];
  return {
    inputs,
    predict(items) {
      inputs.push(...items);
      const out = items.map(
        (i): Prediction => ({
          duration_ms: 1000 * i.combination.length,
          duration_low_ms: 500 * i.combination.length,
          duration_high_ms: 2000 * i.combination.length,
          failure_probability: 0.1,
          model_version: 'fake-1',
        }),
      );
      return Promise.resolve(out);
    },
    check: () => Promise.resolve(),
  };
}

/** An issuer that records drafts. */
export function fakeIssuer(): DirectiveIssuer & { drafts: DirectiveDraft[] } {
  const drafts: DirectiveDraft[] = [];
  return {
    drafts,
    issue(draft) {
      drafts.push(draft);
      const id = `d-${drafts.length}`;
      return Promise.resolve({
        topic: `t.directives.${draft.kind === 'SCALING' ? 'scaling' : 'cache-warm'}`,
        partition: 0,
        offset: String(drafts.length - 1),
        directive: {
          event_id: id,
          event_time: 1,
          producer_id: 'fake',
          seq: drafts.length,
          directive_id: id,
          pool: draft.pool,
          kind: draft.kind,
          issued_at: 1000,
          valid_until: 1000 + draft.validForMs,
          reason: draft.reason,
          reason_text: draft.reasonText,
          desired_slots: draft.desiredSlots,
          warm: draft.warm,
        },
      });
    },
  };
}

/** A job sink that records jobs. */
export function fakeJobs(): JobSink & { jobs: BuildJob[] } {
  const jobs: BuildJob[] = [];
  return {
    jobs,
    submit(values) {
      jobs.push(...values);
      return Promise.resolve();
    },
  };
}

/** An app over fakes; returns the fakes too. */
export async function fakeApp(overrides: Partial<AppDeps> = {}) {
  const store = fakeStore();
  const predictor = fakePredictor();
  const issuer = fakeIssuer();
  const jobs = fakeJobs();
  const metrics = createMetrics({ defaultMetrics: false });
  const app: PulseApp = await buildApp({
    logger: silentLogger(),
    metrics,
    tokens: parseTokens(TOKENS),
    store,
    predictor,
    issuer,
    jobs,
    readiness: [{ name: 'store', check: () => store.check() }],
    limits: { rateLimitPerMinute: 1000, maxBatch: 50, bodyLimitBytes: 64 * 1024 },
    ...overrides,
  });
  return { app, store, predictor, issuer, jobs, metrics };
}

/** Authorization header for a token. */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
