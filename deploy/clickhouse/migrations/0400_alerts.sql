-- Anomaly alerts: one row per lifecycle state of an alert (FIRING, then RESOLVED) with its evidence.
-- ReplacingMergeTree on (alert_id, state): a replayed state change replaces the identical row.
-- Read the current state of each alert with the alerts_current view (or FINAL + argMax).

CREATE TABLE IF NOT EXISTS {{db}}.alerts (
    alert_id String,
    alert_key String,
    detector String,
    entity_type String,
    entity String,
    metric String,
    severity String,
    state String,
    score Float64,
    value Float64,
    expected_low Float64,
    expected_high Float64,
    started_at_ms UInt64,
    event_time_ms UInt64,
    event_time DateTime,
    evidence_keys Array(String),
    evidence_values Array(String),
    version UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(event_time)
ORDER BY (alert_id, state);

CREATE VIEW IF NOT EXISTS {{db}}.alerts_current AS
SELECT
    alert_id,
    any(alert_key) AS alert_key,
    any(detector) AS detector,
    any(entity_type) AS entity_type,
    any(entity) AS entity,
    any(metric) AS metric,
    argMax(severity, event_time_ms) AS severity,
    argMax(state, event_time_ms) AS state,
    max(score) AS peak_score,
    min(started_at_ms) AS started_at_ms,
    max(event_time_ms) AS updated_at_ms
FROM {{db}}.alerts
GROUP BY alert_id;
