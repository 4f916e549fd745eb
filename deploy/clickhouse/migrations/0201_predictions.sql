-- Models part: predictions written by the online scorer at queue and start time of every build.
-- Idempotent: key (build_id, stage, model_version); predicted_at_ms is the event time of the event scored,
-- so a replay writes identical rows. Actual vs predicted: join with build_events (see predictions_vs_actual).

CREATE TABLE IF NOT EXISTS {{db}}.predictions (
    build_id String,
    stage String,
    pool String,
    arch String,
    executor Nullable(String),
    combination Array(String),
    predicted_at DateTime,
    predicted_at_ms UInt64,
    model_version String,
    duration_p50_ms Float64,
    duration_p10_ms Float64,
    duration_p90_ms Float64,
    failure_prob Float64,
    failure_predicted UInt8,
    baseline_duration_ms Float64,
    baseline_failed UInt8
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(predicted_at)
ORDER BY (build_id, stage, model_version);

CREATE VIEW IF NOT EXISTS {{db}}.predictions_vs_actual AS
SELECT
    build_id, stage, pool, model_version, predicted_at_ms,
    duration_p50_ms, duration_p10_ms, duration_p90_ms, failure_prob, failure_predicted,
    baseline_duration_ms, baseline_failed,
    actual_duration_ms, actual_status, finished_at_ms
FROM {{db}}.predictions
ANY LEFT JOIN (
    SELECT build_id, duration_ms AS actual_duration_ms, status AS actual_status, event_time AS finished_at_ms
    FROM {{db}}.build_events
    WHERE type = 'FINISHED'
) USING build_id;
