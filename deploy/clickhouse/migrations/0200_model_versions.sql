-- Models part: registered model versions (artefacts on disk under <dataDir>/models/<version>/).
-- One row per version and state change; ReplacingMergeTree keeps the latest (updated_at_ms), read with FINAL.
-- status: champion (serving), challenger (lost against the champion on the same held-out window), retired.

CREATE TABLE IF NOT EXISTS {{db}}.model_versions (
    version String,
    status String,
    created_at DateTime,
    created_at_ms UInt64,
    updated_at_ms UInt64,
    promoted_at_ms UInt64,
    feature_version UInt32,
    backend String,
    trained_rows UInt64,
    train_from_ms UInt64,
    train_to_ms UInt64,
    holdout_rows UInt64,
    holdout_from_ms UInt64,
    holdout_to_ms UInt64,
    artefact_dir String,
    duration_mae_ms Float64,
    baseline_duration_mae_ms Float64,
    failure_f1 Float64,
    baseline_failure_f1 Float64,
    failure_pr_auc Float64,
    metrics_json String,
    champion_metrics_json String,
    decision String
) ENGINE = ReplacingMergeTree(updated_at_ms)
ORDER BY version;
