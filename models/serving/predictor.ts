/**
 * The scoring function used by the online scorer and the API: keeps the history state warm (recent
 * ClickHouse rows, then live events via {@link Predictor.observe}), holds the champion model and
 * hot-reloads it when `model_versions` names a new one. Without a champion it answers with the
 * baselines (`model_version` = `baseline`).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../../common/config.js';
import { ModelLoadError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import { initBackend, recordTensorCount } from '../backend.js';
import { readClickHouseHistory } from '../data/clickhouse-history.js';
import { baselinePrediction } from '../features/baselines.js';
import { HistoryState } from '../features/history-state.js';
import { replayHistory } from '../features/replay.js';
import type { BuildInput, OutcomeStatus } from '../features/types.js';
import { isFailure } from '../features/types.js';
import { FEATURE_DIM, writeFeatures } from '../features/vector.js';
import type { ModelBundle } from '../nn/bundle.js';
import type { ModelRegistry } from '../registry/registry.js';
import { createDriftMonitor, type DriftMonitor } from './drift.js';

/** One prediction. */
export interface Prediction {
  build_id: string;
  model_version: string;
  duration_p50_ms: number;
  duration_p10_ms: number;
  duration_p90_ms: number;
  failure_prob: number;
  failure_predicted: boolean;
  baseline_duration_ms: number;
  baseline_failed: boolean;
}

/** A build event as the predictor needs it (the Avro BuildEvent satisfies it). */
export interface ObservedEvent {
  type: 'QUEUED' | 'STARTED' | 'FINISHED';
  build_id: string;
  pool: string;
  combination: readonly string[];
  event_time: number;
  duration_ms: number | null;
  status: OutcomeStatus | null;
}

/** Collaborators of {@link createPredictor}. */
export interface PredictorDeps {
  registry: ModelRegistry;
  logger: Logger;
  metrics?: Metrics;
  /** Source of the warm-up history (omit to start cold). */
  clickhouse?: ClickHouseClient;
  config: Pick<Config, 'clickhouse' | 'models'>;
  /** State to use instead of a fresh one (tests). */
  state?: HistoryState;
}

/** The scoring function and its lifecycle. */
export interface Predictor {
  /** Predicts for builds (batch-capable), from the state as it is now. */
  predict(inputs: readonly BuildInput[]): Prediction[];
  /** Applies a build event to the state (call after predicting for it). */
  observe(event: ObservedEvent): void;
  /** Replays the latest `config.models.warmRows` finished builds from ClickHouse into the state. */
  warm(): Promise<number>;
  /** Loads the registry's champion if it differs from the loaded one; returns the loaded version. */
  loadChampion(): Promise<string | undefined>;
  /** Polls for a new champion every `config.models.reloadIntervalMs`. */
  startHotReload(): void;
  readonly version: string | undefined;
  readonly state: HistoryState;
  readonly drift: DriftMonitor;
  /** Stops polling and disposes the model. */
  close(): void;
}

/** Creates a predictor (call `loadChampion()` and `warm()` before serving). */
export function createPredictor(deps: PredictorDeps): Predictor {
  const state = deps.state ?? new HistoryState();
  const log = deps.logger.child({ component: 'predictor' });
  const drift = createDriftMonitor(deps.metrics ? { metrics: deps.metrics } : {});
  const predicted = deps.metrics?.counter('models_predictions_total', 'predictions made', ['model_version']);
  const latency = deps.metrics?.histogram(
    'models_predict_duration_seconds',
    'time to score one batch',
    [],
    [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
  );
  const reloads = deps.metrics?.counter('models_reloads_total', 'champion model (re)loads', ['outcome']);
  let bundle: ModelBundle | undefined;
  let timer: NodeJS.Timeout | undefined;
  let loading: Promise<string | undefined> | undefined;

  async function load(): Promise<string | undefined> {
    const champion = await deps.registry.champion();
    if (!champion || champion.version === bundle?.meta.version) return bundle?.meta.version;
    await initBackend({ logger: deps.logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) });
    const next = await deps.registry.load(champion.version);
    const old = bundle;
    bundle = next;
    old?.dispose();
    drift.reset(champion.duration_mae_ms);
    reloads?.inc({ outcome: 'loaded' });
    deps.metrics?.gauge('models_champion_info', 'loaded champion version (1)', ['version']).reset();
    deps.metrics?.gauge('models_champion_info', 'loaded champion version (1)', ['version']).set({ version: next.meta.version }, 1);
    recordTensorCount(deps.metrics);
    log.info({ version: next.meta.version, previous: old?.meta.version }, 'champion loaded');
    return next.meta.version;
  }

  const predictor: Predictor = {
    state,
    drift,
    get version() {
      return bundle?.meta.version;
    },
    predict(inputs) {
      const end = latency?.startTimer();
      const n = inputs.length;
      const x = new Float32Array(n * FEATURE_DIM);
      inputs.forEach((input, i) => writeFeatures(state, input, x, i * FEATURE_DIM));
      const out = bundle?.predict(x, n);
      const version = bundle?.meta.version ?? 'baseline';
      const result = inputs.map((input, i): Prediction => {
        const b = baselinePrediction(state, input);
        const p: Prediction = out
          ? {
              build_id: input.build_id,
              model_version: version,
              duration_p50_ms: out.p50[i] as number,
              duration_p10_ms: out.p10[i] as number,
              duration_p90_ms: out.p90[i] as number,
              failure_prob: out.failureProb[i] as number,
              failure_predicted: (out.failureProb[i] as number) >= (bundle?.meta.threshold ?? 0.5),
              baseline_duration_ms: b.durationMs,
              baseline_failed: b.failed === 1,
            }
          : {
              build_id: input.build_id,
              model_version: version,
              duration_p50_ms: b.durationMs,
              duration_p10_ms: b.lowMs,
              duration_p90_ms: b.highMs,
              failure_prob: b.failed,
              failure_predicted: b.failed === 1,
              baseline_duration_ms: b.durationMs,
              baseline_failed: b.failed === 1,
            };
        drift.predicted(p.build_id, p.duration_p50_ms, p.failure_prob);
        return p;
      });
      predicted?.inc({ model_version: version }, n);
      recordTensorCount(deps.metrics);
      end?.();
      return result;
    },
    observe(e) {
      if (e.type === 'QUEUED') state.onQueued(e.build_id, e.pool, e.event_time);
      else if (e.type === 'STARTED') state.onStarted(e.build_id, e.pool, e.event_time);
      else if (e.status !== null) {
        const duration = e.duration_ms ?? 0;
        if (e.status !== 'CANCELLED') drift.finished(e.build_id, duration, isFailure(e.status));
        state.onFinished({
          build_id: e.build_id,
          pool: e.pool,
          combination: e.combination,
          finished_at: e.event_time,
          duration_ms: duration,
          status: e.status,
        });
      }
    },
    async warm() {
      if (!deps.clickhouse || deps.config.models.warmRows === 0) return 0;
      const records = await readClickHouseHistory(deps.clickhouse, {
        database: deps.config.clickhouse.database,
        limit: deps.config.models.warmRows,
      });
      replayHistory(records, { state });
      log.info({ builds: records.length }, 'feature state warmed from ClickHouse');
      return records.length;
    },
    loadChampion() {
      loading ??= load().finally(() => {
        loading = undefined;
      });
      return loading;
    },
    startHotReload() {
      if (timer) return;
      timer = setInterval(() => {
        predictor.loadChampion().catch((err: unknown) => {
          reloads?.inc({ outcome: 'failed' });
          log.warn({ err: err instanceof ModelLoadError ? err.message : String(err) }, 'champion reload failed; keeping the loaded model');
        });
      }, deps.config.models.reloadIntervalMs);
      timer.unref();
    },
    close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      bundle?.dispose();
      bundle = undefined;
      recordTensorCount(deps.metrics);
    },
  };
  return predictor;
}
