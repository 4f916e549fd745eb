-- Processors (issue 4): views for analysts (read-only user `analyst`); documented in deploy/clickhouse/ANALYSTS.md.
-- Each view reads its feature table with FINAL, so it always shows the latest version of every window.

CREATE VIEW IF NOT EXISTS {{db}}.v_pool_health AS
SELECT
    pool,
    window_start,
    builds_started,
    builds_finished,
    builds_failed,
    failure_rate,
    duration_p50_ms,
    duration_p95_ms,
    queue_wait_p95_ms,
    cache_hit_ratio,
    cpu_util_avg,
    memory_util_avg,
    running_slots_avg,
    available_slots_avg,
    slot_utilisation,
    late_events
FROM {{db}}.pool_features_5m FINAL;

CREATE VIEW IF NOT EXISTS {{db}}.v_combination_trends AS
SELECT
    combination_key,
    combination,
    window_start,
    builds_finished,
    builds_failed,
    failure_rate,
    duration_p50_ms,
    duration_p95_ms,
    duration_mean_ms,
    duration_stddev_ms,
    tests_passed,
    tests_failed,
    tests_flaky
FROM {{db}}.combination_features_1h FINAL;

CREATE VIEW IF NOT EXISTS {{db}}.v_cache_efficiency AS
SELECT
    pool,
    window_start,
    cache_hits,
    cache_misses,
    cache_hit_ratio,
    cache_hit_bytes,
    cache_miss_bytes,
    cache_latency_avg_ms,
    builds_finished,
    duration_p50_ms
FROM {{db}}.pool_features_1h FINAL;

CREATE VIEW IF NOT EXISTS {{db}}.v_executor_utilisation AS
SELECT
    pool,
    executor,
    window_start,
    resource_samples,
    cpu_util_avg,
    cpu_util_max,
    memory_util_avg,
    memory_util_max,
    running_slots_avg,
    available_slots_avg,
    slot_utilisation,
    builds_finished,
    cache_hit_ratio
FROM {{db}}.executor_features_5m FINAL;
