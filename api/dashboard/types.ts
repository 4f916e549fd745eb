/** Shapes of the dashboard's JSON (GET /dashboard/api/snapshot and the SSE `snapshot` event). */
import type { AlertRow } from '../store/types.js';

/** One point of a time series: window start (ms since epoch) and value (null: no data in that window). */
export interface Point {
  t: number;
  v: number | null;
}

/** A part of the page: `available` false means the data does not exist yet, with a message saying why. */
export interface Section<T> {
  available: boolean;
  /** Why the section is empty (missing table, no rows yet, query error). */
  message?: string;
  data: T;
}

/** Series ids of one pool. */
export type SeriesId =
  | 'throughput'
  | 'queue_wait_p95_ms'
  | 'duration_p50_ms'
  | 'duration_p95_ms'
  | 'predicted_duration_ms'
  | 'failure_rate'
  | 'cache_hit_ratio'
  | 'slots_desired'
  | 'slots_running'
  | 'slots_available';

/** Time series and latest values of one pool. */
export interface PoolView {
  pool: string;
  series: Partial<Record<SeriesId, Point[]>>;
  /** Totals over the range. */
  totals: { builds_finished: number; builds_failed: number; cache_hits: number; cache_misses: number };
}

/** Fleet-wide numbers over the range. */
export interface FleetView {
  pools: number;
  builds_finished: number;
  builds_failed: number;
  failure_rate: number | null;
  cache_hit_ratio: number | null;
  queue_wait_p95_ms_max: number | null;
  /** Latest window start seen in the feature table (ms). */
  latest_window: number | null;
  /** Rows in each raw event / output table of the database. */
  row_counts: Record<string, number>;
}

/** One alert (latest state per alert id): the stored alert row plus its evidence. */
export type AlertView = Omit<AlertRow, 'alert_key'> & { evidence: Record<string, string> };

/** One directive with its acknowledgements and measured effect. */
export interface DirectiveView {
  directive_id: string;
  pool: string;
  kind: string;
  source: string;
  issued_at: number;
  desired_slots: number | null;
  warm: string[];
  reason_text: string;
  acks: number;
  acks_rejected: number;
  effect_status: string;
  queue_wait_p95_before_ms: number | null;
  queue_wait_p95_after_ms: number | null;
  hit_ratio_before: number | null;
  hit_ratio_after: number | null;
}

/** One model version and its evaluation metrics. */
export interface ModelView {
  version: string;
  model: string;
  created_at: number | null;
  status: string;
  metrics: Record<string, number>;
}

/** Everything the page shows, computed at `generated_at`. */
export interface Snapshot {
  generated_at: number;
  database: string;
  range: string;
  window: string;
  fleet: Section<FleetView | null>;
  pools: Section<PoolView[]>;
  alerts: Section<AlertView[]>;
  directives: Section<DirectiveView[]>;
  models: Section<ModelView[]>;
}
