/**
 * Maps decoded events to per-minute observations of the entities alerts are keyed by. Flake-aware:
 * tests with outcome FLAKY (passed on retry) and builds whose failure category names a flake count as
 * executed but never as failures, so flaky noise alone cannot raise a failure burst.
 * Build durations and cache latencies are standardised against per-combination / per-tier baselines
 * (log scale), so a slow executor shows up whatever mix of builds it runs.
 */
import type { AnyEvent } from '../../../ingest/index.js';
import { createLoadRegressions } from './load-regression.js';
import { createLogBaselines } from './log-baselines.js';
import type { Observation } from './minute-aggregator.js';

/** Key of a module combination (base first, as in the event). */
export function combinationKey(combination: readonly string[]): string {
  return combination.join('+');
}

function isFlakyCategory(category: string | null): boolean {
  return category !== null && /flak/i.test(category);
}

/**
 * Turns events into observations; stateful (the duration/latency baselines), one per processor.
 * `predictedDurationMs` is the model's prediction for a FINISHED build (joined by build id from what
 * the online scorer wrote); with it, the pair feeds the prediction-drift channel. A prediction carried
 * in the event's own features (`predicted_duration_ms`) is used when none is given.
 */
export type ObservationMapper = (event: AnyEvent, predictedDurationMs?: number) => Observation[];

/** Creates a mapper with empty baselines. */
export function createObservationMapper(): ObservationMapper {
  const durations = createLogBaselines();
  const latencies = createLogBaselines();
  const cpu = createLoadRegressions();
  return (event, predictedDurationMs) =>
    observationsOf(event, predictedDurationMs, {
      duration: (k, v) => durations.residual(k, v),
      latency: (k, v) => latencies.residual(k, v),
      cpu: (k, x, y) => cpu.residual(k, x, y),
    });
}

interface Residuals {
  duration(key: string, v: number): number | undefined;
  latency(key: string, v: number): number | undefined;
  cpu(key: string, load: number, cpu: number): number | undefined;
}

function observationsOf(event: AnyEvent, predictedDurationMs: number | undefined, residuals: Residuals): Observation[] {
  const out: Observation[] = [];
  const pool = (metric: string, value = 1, entity?: string): void => {
    if (entity !== undefined) out.push({ entityType: 'pool', entity, metric, value });
  };
  switch (event.family) {
    case 'build': {
      const b = event.value;
      if (b.type === 'QUEUED') pool('queued', 1, b.pool);
      else if (b.type === 'STARTED') {
        pool('started', 1, b.pool);
      } else {
        pool('finished', 1, b.pool);
        if (b.status !== 'CANCELLED') {
          pool('build_executed', 1, b.pool);
          if ((b.status === 'FAILED' || b.status === 'ERRORED') && !isFlakyCategory(b.failure_category)) pool('build_failed', 1, b.pool);
          // ERRORED = the factory's fault (infrastructure), not the build's own: rare and independent of the combination.
          if (b.status === 'ERRORED' && !isFlakyCategory(b.failure_category)) pool('build_errored', 1, b.pool);
        }
        if (b.duration_ms !== null && b.status === 'PASSED') {
          const r = residuals.duration(combinationKey(b.combination), b.duration_ms);
          if (r !== undefined) {
            pool('duration_residual', r, b.pool);
            if (b.executor !== null) out.push({ entityType: 'executor', entity: b.executor, metric: 'duration_residual', value: r });
          }
          const predicted = predictedDurationMs ?? b.features.predicted_duration_ms;
          if (predicted !== undefined && predicted > 0 && b.duration_ms > 0) {
            pool('drift_log_ratio', Math.log(b.duration_ms / predicted), b.pool);
            pool('drift_predicted_ms', predicted, b.pool);
          }
        }
      }
      break;
    }
    case 'cache': {
      const c = event.value;
      pool('cache_lookup', 1, c.pool);
      if (c.hit) pool('cache_hit', 1, c.pool);
      const r = residuals.latency(`${c.pool}/${c.tier}/${c.hit ? 'hit' : 'miss'}`, c.latency_ms);
      if (r !== undefined) {
        // A lookup far slower than usual for its tier and outcome (timeouts, a slow disk or network).
        const slow = r > 2 ? 1 : 0;
        // Far beyond any normal lookup of its kind (≥ 5.5 robust σ in log scale): a timeout.
        const timeout = r >= 5.5 ? 1 : 0;
        out.push({ entityType: 'executor', entity: c.executor, metric: 'lookup_scored', value: 1 });
        out.push({ entityType: 'executor', entity: c.executor, metric: 'lookup_slow', value: slow });
        pool('lookup_scored', 1, c.pool);
        pool('lookup_slow', slow, c.pool);
        pool('lookup_timeout', timeout, c.pool);
      }
      break;
    }
    case 'resource': {
      const r = event.value;
      out.push({ entityType: 'executor', entity: r.executor, metric: 'cpu_util', value: r.cpu_util });
      out.push({ entityType: 'executor', entity: r.executor, metric: 'memory_util', value: r.memory_util });
      const excess = residuals.cpu(r.executor, r.slots > 0 ? r.running_builds / r.slots : 0, r.cpu_util);
      if (excess !== undefined) out.push({ entityType: 'executor', entity: r.executor, metric: 'cpu_excess', value: excess });
      pool('queue_depth', r.queued, r.pool);
      // A free slot while builds wait: a working dispatcher never leaves it so for long.
      pool('resource_sample', 1, r.pool);
      pool('starved', r.queued > 0 && r.running_builds < r.slots ? 1 : 0, r.pool);
      break;
    }
    case 'test': {
      const t = event.value;
      if (t.outcome === 'SKIPPED') break;
      const entity = combinationKey(t.combination);
      out.push({ entityType: 'combination', entity, metric: 'test_executed', value: 1 });
      if (t.outcome === 'FAILED') out.push({ entityType: 'combination', entity, metric: 'test_failed', value: 1 });
      if (t.outcome === 'FLAKY') out.push({ entityType: 'combination', entity, metric: 'test_flaky', value: 1 });
      break;
    }
    default:
      break;
  }
  return out;
}
