/**
 * Drift metrics: recent prediction error (once outcomes arrive) against the error the champion had on
 * its held-out window at training time. A ratio well above 1 means the model has gone stale.
 */
import type { Metrics } from '../../common/metrics.js';

/** Current drift numbers. */
export interface DriftSnapshot {
  /** Outcomes matched with a prediction so far (for this champion). */
  matched: number;
  /** Mean absolute duration error over the recent window (ms). */
  recentDurationMaeMs: number;
  /** Held-out MAE of the champion at training time (ms). */
  trainingDurationMaeMs: number;
  /** recent / training (NaN until both are known). */
  durationMaeRatio: number;
  /** Brier score of the failure probability over the recent window. */
  recentFailureBrier: number;
}

/** Tracks recent errors in a sliding window of the last `window` outcomes. */
export interface DriftMonitor {
  /** A prediction was made; remember it until the build finishes. */
  predicted(buildId: string, p50Ms: number, failureProb: number): void;
  /** A build finished; if it was predicted, fold its error in. */
  finished(buildId: string, durationMs: number, failed: boolean): void;
  /** A new champion: reset the window and set its training MAE. */
  reset(trainingDurationMaeMs: number): void;
  snapshot(): DriftSnapshot;
}

/** Creates a drift monitor exporting `models_drift_*` gauges. */
export function createDriftMonitor(deps: { metrics?: Metrics; window?: number; maxPending?: number }): DriftMonitor {
  const window = deps.window ?? 2000;
  const maxPending = deps.maxPending ?? 100_000;
  const pending = new Map<string, { p50: number; prob: number }>();
  let absErr: number[] = [];
  let sqErr: number[] = [];
  let matched = 0;
  let trainingMae = NaN;
  const ratio = deps.metrics?.gauge('models_drift_duration_mae_ratio', 'recent duration MAE / held-out MAE at training time');
  const recent = deps.metrics?.gauge('models_recent_duration_mae_ms', 'duration MAE of the champion over recent finished builds (ms)');
  const brier = deps.metrics?.gauge('models_recent_failure_brier', 'Brier score of the failure probability over recent finished builds');
  const mean = (a: number[]): number => (a.length ? a.reduce((s, x) => s + x, 0) / a.length : NaN);
  const monitor: DriftMonitor = {
    predicted(buildId, p50Ms, failureProb) {
      if (pending.size >= maxPending) {
        const oldest = pending.keys().next().value;
        if (oldest !== undefined) pending.delete(oldest);
      }
      pending.set(buildId, { p50: p50Ms, prob: failureProb });
    },
    finished(buildId, durationMs, failed) {
      const p = pending.get(buildId);
      if (!p) return;
      pending.delete(buildId);
      matched++;
      absErr.push(Math.abs(durationMs - p.p50));
      sqErr.push((p.prob - (failed ? 1 : 0)) ** 2);
      if (absErr.length > window) absErr = absErr.slice(-window);
      if (sqErr.length > window) sqErr = sqErr.slice(-window);
      const s = monitor.snapshot();
      recent?.set(s.recentDurationMaeMs);
      brier?.set(s.recentFailureBrier);
      if (Number.isFinite(s.durationMaeRatio)) ratio?.set(s.durationMaeRatio);
    },
    reset(trainingDurationMaeMs) {
      trainingMae = trainingDurationMaeMs;
      absErr = [];
      sqErr = [];
      matched = 0;
    },
    snapshot() {
      const r = mean(absErr);
      return {
        matched,
        recentDurationMaeMs: r,
        trainingDurationMaeMs: trainingMae,
        durationMaeRatio: trainingMae > 0 ? r / trainingMae : NaN,
        recentFailureBrier: mean(sqErr),
      };
    },
  };
  return monitor;
}
