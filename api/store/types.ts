/**
 * The API's read model: every query the read routes run. The ClickHouse implementation binds every
 * value through `sql`/`escapeValue`; unit tests use a fake of this interface.
 */

/** Feature window sizes of the processors' feature tables. */
export type FeatureWindow = '1m' | '5m' | '1h';

/** One pool feature row (`pool_features_<window>`). Numbers are NaN-free; missing values are null. */
export interface PoolFeatureRow {
  pool: string;
  window_start: number;
  builds_finished: number;
  builds_failed: number;
  duration_p50_ms: number | null;
  duration_p95_ms: number | null;
  queue_wait_p95_ms: number | null;
  cache_hits: number;
  cache_misses: number;
  cpu_util_avg: number | null;
}

/** Filter of a pool feature query. */
export interface FeatureQuery {
  window: FeatureWindow;
  pool?: string;
  /** Inclusive lower bound of window_start, ms. */
  from?: number;
  to?: number;
  limit: number;
}

/** A combination's trend over recent windows. */
export interface CombinationTrend {
  combination: string;
  pool: string;
  builds: number;
  failures: number;
  failure_rate: number;
  duration_p50_ms: number | null;
  /** Relative change of the duration p50 between the first and second half of the period (0.1 = +10%). */
  duration_change: number | null;
}

/** Filter of a combination trend query. */
export interface TrendQuery {
  pool?: string;
  /** Substring that a combination must contain (e.g. `openssl@`). */
  module?: string;
  /** Period, ms back from now. */
  sinceMs: number;
  limit: number;
}

/** An alert as stored by the alerting part. */
export interface AlertRow {
  alert_id: string;
  alert_key: string;
  detector: string;
  entity_type: string;
  entity: string;
  metric: string;
  severity: string;
  state: string;
  score: number;
  value: number;
  expected_low: number;
  expected_high: number;
  started_at: number;
  event_time: number;
}

/** Filter of an alert query. */
export interface AlertQuery {
  state?: string;
  severity?: string;
  entity?: string;
  detector?: string;
  from?: number;
  limit: number;
}

/** An executor's acknowledgement of a directive. */
export interface AckRow {
  executor: string;
  status: string;
  reason: string;
  acked_at: number;
}

/** Measured effect of a directive (after vs before). */
export interface DirectiveEffect {
  status: string;
  measured_at: number | null;
  window_ms: number | null;
  queue_wait_p95_before_ms: number | null;
  queue_wait_p95_after_ms: number | null;
  hit_ratio_before: number | null;
  hit_ratio_after: number | null;
}

/** A directive with the numbers that led to it, its acks and its measured effect. */
export interface DirectiveView {
  directive_id: string;
  pool: string;
  kind: string;
  source: string;
  policy: string;
  issued_at: number;
  valid_until: number;
  desired_slots: number | null;
  warm: { combination: string[]; expected_saving_ms: number }[];
  reason: Record<string, number>;
  reason_text: string;
  topic: string;
  acks: AckRow[];
  effect: DirectiveEffect;
}

/** Filter of a directive query. */
export interface DirectiveQuery {
  pool?: string;
  kind?: string;
  source?: string;
  from?: number;
  limit: number;
}

/** A registered model version (duration and failure models are versioned together). */
export interface ModelVersionRow {
  version: string;
  /** champion, challenger or retired. */
  status: string;
  created_at: number;
  promoted_at: number | null;
  backend: string;
  trained_rows: number;
  holdout_rows: number;
  /** Held-out metrics beside the baselines' (duration_mae_ms, baseline_duration_mae_ms, failure_f1, …). */
  metrics: Record<string, number>;
  /** Why it was or was not promoted. */
  decision: string;
}

/** Filter of a model version query. */
export interface ModelQuery {
  status?: string;
  /** Only versions using this TF.js backend. */
  backend?: string;
  limit: number;
}

/** Every read query of the API. */
export interface ApiStore {
  poolFeatures(q: FeatureQuery): Promise<PoolFeatureRow[]>;
  /** The latest feature row of every pool (or of one). */
  latestPoolFeatures(window: FeatureWindow, pool?: string): Promise<PoolFeatureRow[]>;
  combinationTrends(q: TrendQuery): Promise<CombinationTrend[]>;
  alerts(q: AlertQuery): Promise<AlertRow[]>;
  directives(q: DirectiveQuery): Promise<DirectiveView[]>;
  directive(id: string): Promise<DirectiveView | undefined>;
  modelVersions(q: ModelQuery): Promise<ModelVersionRow[]>;
  /** Throws UnavailableError when the store is not reachable; used by /readyz. */
  check(): Promise<void>;
}
