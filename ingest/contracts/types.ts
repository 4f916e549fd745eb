/**
 * TypeScript shapes of the Avro event contracts in ./schemas (kept in step by a unit test that
 * validates `type.random()` values and sample values against both).
 */

/** Fields every event carries. */
export interface Envelope {
  event_id: string;
  /** Event time, ms since epoch. */
  event_time: number;
  producer_id: string;
  /** Per-producer sequence number. */
  seq: number;
}

export type BuildEventType = 'QUEUED' | 'STARTED' | 'FINISHED';
export type BuildStatus = 'PASSED' | 'FAILED' | 'ERRORED' | 'CANCELLED';

export interface BuildEvent extends Envelope {
  type: BuildEventType;
  build_id: string;
  job_id: string;
  pool: string;
  executor: string | null;
  arch: string;
  /** `module@version` list, base first. */
  combination: string[];
  queue_wait_ms: number | null;
  duration_ms: number | null;
  status: BuildStatus | null;
  failure_category: string | null;
  image_size_bytes: number | null;
  layer_count: number | null;
  sbom_generation_ms: number | null;
  /** Extra numeric features known before the build starts. */
  features: Record<string, number>;
}

export interface CacheEvent extends Envelope {
  executor: string;
  pool: string;
  build_id: string | null;
  layer_key: string;
  hit: boolean;
  bytes: number;
  latency_ms: number;
  tier: 'LOCAL' | 'REMOTE';
}

export interface ResourceEvent extends Envelope {
  executor: string;
  pool: string;
  cpu_util: number;
  memory_util: number;
  memory_bytes: number;
  disk_read_bps: number;
  disk_write_bps: number;
  net_rx_bps: number;
  net_tx_bps: number;
  running_builds: number;
  slots: number;
  queued: number;
}

export interface TestResult extends Envelope {
  test_plan_id: string;
  build_id: string | null;
  pool: string;
  combination: string[];
  test_id: string;
  outcome: 'PASSED' | 'FAILED' | 'SKIPPED' | 'FLAKY';
  retries: number;
  duration_ms: number;
}

export interface SbomComponent {
  name: string;
  purl: string;
  version: string;
  licence: string | null;
}

export interface SbomDocument extends Envelope {
  image_digest: string;
  build_id: string | null;
  pool: string;
  combination: string[];
  components: SbomComponent[];
}

export interface BuildJob extends Envelope {
  job_id: string;
  pool: string;
  arch: string;
  combination: string[];
  priority: number;
  submitted_by: string;
}

export interface WarmTarget {
  combination: string[];
  expected_saving_ms: number;
}

export interface Directive extends Envelope {
  directive_id: string;
  pool: string;
  kind: 'SCALING' | 'CACHE_WARM';
  issued_at: number;
  valid_until: number;
  reason: Record<string, number>;
  reason_text: string;
  desired_slots: number | null;
  warm: WarmTarget[];
}

export interface DirectiveAck extends Envelope {
  directive_id: string;
  pool: string;
  executor: string;
  status: 'APPLIED' | 'REJECTED';
  reason: string;
}

export interface Alert extends Envelope {
  alert_id: string;
  alert_key: string;
  detector: string;
  entity_type: string;
  entity: string;
  metric: string;
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  state: 'FIRING' | 'RESOLVED';
  score: number;
  value: number;
  expected_low: number;
  expected_high: number;
  started_at: number;
  evidence: Record<string, string>;
}

/** Event family → its value type. */
export interface FamilyTypes {
  build: BuildEvent;
  cache: CacheEvent;
  resource: ResourceEvent;
  test: TestResult;
  sbom: SbomDocument;
  job: BuildJob;
  directive: Directive;
  'directive-ack': DirectiveAck;
  alert: Alert;
}

/** Name of an event family (one Avro schema each). */
export type Family = keyof FamilyTypes;

/** A decoded message of any family. */
export type AnyEvent = { [F in Family]: { family: F; value: FamilyTypes[F] } }[Family];
