-- Directives issued by the directive engine (api/directives) or manually through POST /v1/directives.
-- One logical row per directive_id; later versions of the row carry the measured effect
-- (ReplacingMergeTree(version): read with FINAL or argMax). Times are integer ms since epoch.
-- reason_keys/reason_values hold the numbers that led to the directive (same order).
CREATE TABLE IF NOT EXISTS {{db}}.directives (
    directive_id String,
    pool String,
    kind String,
    source String,
    policy String,
    issued_at UInt64,
    issued_time DateTime,
    valid_until UInt64,
    desired_slots Nullable(Int32),
    warm_combinations Array(String),
    warm_saving_ms Array(Float64),
    reason_keys Array(String),
    reason_values Array(Float64),
    reason_text String,
    topic String,
    kafka_partition Int32,
    kafka_offset Int64,
    effect_status String,
    effect_measured_at UInt64,
    effect_window_ms UInt64,
    queue_wait_p95_before_ms Nullable(Float64),
    queue_wait_p95_after_ms Nullable(Float64),
    hit_ratio_before Nullable(Float64),
    hit_ratio_after Nullable(Float64),
    version UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(issued_time)
ORDER BY (pool, kind, directive_id);
