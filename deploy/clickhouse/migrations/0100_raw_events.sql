-- Processors (issue 4): raw event tables, one row per event, written idempotently by `pulse process`.
-- Column names equal the Avro field names (ingest/contracts/schemas/*.avsc). Conventions:
--   * nullable Avro fields (["null", T]) are Nullable(T); enums are String (the symbol);
--   * `event_time` is UInt64 ms since epoch, `ts` = toDateTime(event_time / 1000) for partitioning;
--   * the build `features` map is two parallel arrays `feature_names` / `feature_values` (sorted by name);
--   * ReplacingMergeTree keyed by (pool, ts, event_id): a replayed event rewrites an identical row.
--     Until background merges run a replay can leave a duplicate: count with FINAL (or the v_* views).
--   * events that arrive later than the allowed lateness are NOT written here: they go to the dead-letter
--     topic with reason `too_late` (so raw rows and feature windows always agree).

CREATE TABLE IF NOT EXISTS {{db}}.build_events (
    event_id String,
    event_time UInt64,
    ts DateTime,
    producer_id String,
    seq Int64,
    type String,
    build_id String,
    job_id String,
    pool String,
    executor Nullable(String),
    arch String,
    combination Array(String),
    queue_wait_ms Nullable(Int64),
    duration_ms Nullable(Int64),
    status Nullable(String),
    failure_category Nullable(String),
    image_size_bytes Nullable(Int64),
    layer_count Nullable(Int32),
    sbom_generation_ms Nullable(Int64),
    feature_names Array(String),
    feature_values Array(Float64)
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (pool, ts, event_id);

CREATE TABLE IF NOT EXISTS {{db}}.cache_events (
    event_id String,
    event_time UInt64,
    ts DateTime,
    producer_id String,
    seq Int64,
    executor String,
    pool String,
    build_id Nullable(String),
    layer_key String,
    hit UInt8,
    bytes Int64,
    latency_ms Float64,
    tier String
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (pool, executor, ts, event_id);

CREATE TABLE IF NOT EXISTS {{db}}.resource_events (
    event_id String,
    event_time UInt64,
    ts DateTime,
    producer_id String,
    seq Int64,
    executor String,
    pool String,
    cpu_util Float64,
    memory_util Float64,
    memory_bytes Int64,
    disk_read_bps Float64,
    disk_write_bps Float64,
    net_rx_bps Float64,
    net_tx_bps Float64,
    running_builds Int32,
    slots Int32,
    queued Int32
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (pool, executor, ts, event_id);

CREATE TABLE IF NOT EXISTS {{db}}.test_results (
    event_id String,
    event_time UInt64,
    ts DateTime,
    producer_id String,
    seq Int64,
    test_plan_id String,
    build_id Nullable(String),
    pool String,
    combination Array(String),
    test_id String,
    outcome String,
    retries Int32,
    duration_ms Int64
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (pool, ts, event_id);
