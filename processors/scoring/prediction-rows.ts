/** Rows of the `predictions` table (migration 0201) built from a build event and its prediction. */
import type { BuildEvent } from '../../ingest/index.js';
import type { Prediction } from '../../models/index.js';

/** One row of `predictions`. */
export interface PredictionRow {
  build_id: string;
  stage: 'QUEUED' | 'STARTED';
  pool: string;
  arch: string;
  executor: string | null;
  combination: string[];
  predicted_at: number;
  predicted_at_ms: number;
  model_version: string;
  duration_p50_ms: number;
  duration_p10_ms: number;
  duration_p90_ms: number;
  failure_prob: number;
  failure_predicted: number;
  baseline_duration_ms: number;
  baseline_failed: number;
}

/** The row for `event` (QUEUED or STARTED). `predicted_at_ms` is the event time, so replays write the same row. */
export function predictionRow(event: BuildEvent & { type: 'QUEUED' | 'STARTED' }, p: Prediction): PredictionRow {
  return {
    build_id: event.build_id,
    stage: event.type,
    pool: event.pool,
    arch: event.arch,
    executor: event.executor,
    combination: event.combination,
    predicted_at: Math.floor(event.event_time / 1000),
    predicted_at_ms: event.event_time,
    model_version: p.model_version,
    duration_p50_ms: p.duration_p50_ms,
    duration_p10_ms: p.duration_p10_ms,
    duration_p90_ms: p.duration_p90_ms,
    failure_prob: p.failure_prob,
    failure_predicted: p.failure_predicted ? 1 : 0,
    baseline_duration_ms: p.baseline_duration_ms,
    baseline_failed: p.baseline_failed ? 1 : 0,
  };
}
