/**
 * Continuous learning: retrains every `config.models.retrainIntervalMs` (0 disables) from ClickHouse
 * history; the champion/challenger rule decides whether the new version serves, and predictors pick a
 * new champion up through hot reload. Runs never overlap; a failed run is logged and counted.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../../common/config.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import { runTraining, type TrainResult, type TrainRunOptions } from '../train.js';

/** A running schedule. */
export interface RetrainSchedule {
  /** Runs one retrain now (waits for a running one instead of starting a second). */
  runNow(): Promise<TrainResult | undefined>;
  stop(): void;
}

/** Collaborators of {@link startRetrainSchedule}. */
export interface RetrainDeps {
  config: Config;
  clickhouse: ClickHouseClient;
  logger: Logger;
  metrics: Metrics;
  options?: TrainRunOptions;
  onTrained?: (r: TrainResult) => void;
}

/** Starts the schedule (a no-op timer when the interval is 0). */
export function startRetrainSchedule(deps: RetrainDeps): RetrainSchedule {
  const log = deps.logger.child({ component: 'retrain' });
  const runs = deps.metrics.counter('models_retrain_runs_total', 'scheduled retrains', ['outcome']);
  let running: Promise<TrainResult | undefined> | undefined;
  const runNow = (): Promise<TrainResult | undefined> => {
    running ??= runTraining({ config: deps.config, clickhouse: deps.clickhouse, logger: deps.logger, metrics: deps.metrics }, deps.options)
      .then((r) => {
        runs.inc({ outcome: r.promoted ? 'promoted' : 'challenger' });
        log.info({ version: r.version, promoted: r.promoted, decision: r.decision }, 'scheduled retrain finished');
        deps.onTrained?.(r);
        return r;
      })
      .catch((err: unknown) => {
        runs.inc({ outcome: 'failed' });
        log.error({ err }, 'scheduled retrain failed');
        return undefined;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const interval = deps.config.models.retrainIntervalMs;
  const timer = interval > 0 ? setInterval(() => void runNow(), interval) : undefined;
  timer?.unref();
  return {
    runNow,
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
