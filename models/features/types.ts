/**
 * Shapes the feature module works on: what is known about a build before it starts
 * ({@link BuildInput}) and what is revealed when it finishes ({@link BuildOutcome}).
 */

/** Terminal status of a build (same symbols as the Avro `BuildStatus`). */
export type OutcomeStatus = 'PASSED' | 'FAILED' | 'ERRORED' | 'CANCELLED';

/** Everything known about a build at the moment a prediction is made (queue or start time). */
export interface BuildInput {
  build_id: string;
  pool: string;
  arch: string;
  /** Null while queued. */
  executor: string | null;
  /** `module@version` list, base first. */
  combination: readonly string[];
  /** When the prediction is made, ms since epoch (the start time in training and backtests). */
  at: number;
  /** Extra numeric features known before the build starts (`f_<name>` columns of imported history). */
  features: Readonly<Record<string, number>>;
}

/** What a finished build reveals; fed to the history state at `finished_at`. */
export interface BuildOutcome {
  build_id: string;
  pool: string;
  combination: readonly string[];
  finished_at: number;
  duration_ms: number;
  status: OutcomeStatus;
}

/** One completed build of history (an imported CSV row or a FINISHED row of `build_events`). */
export interface HistoryRecord {
  build_id: string;
  pool: string;
  arch: string;
  executor: string | null;
  combination: string[];
  queued_at: number | null;
  started_at: number;
  duration_ms: number;
  status: OutcomeStatus;
  features: Record<string, number>;
}

/** True when the status counts as a failure for the failure model (CANCELLED is not a failure). */
export function isFailure(status: OutcomeStatus): boolean {
  return status === 'FAILED' || status === 'ERRORED';
}
