-- Factory Pulse: base objects. Later migrations are numbered by part:
--   01xx processors (raw events, features, views), 02xx models, 03xx api/directives, 04xx alerts.
-- ClickHouse 18.16 subset only: DateTime + integer ms, String, no TTL, no window functions.

CREATE TABLE IF NOT EXISTS {{db}}.pulse_info (
    key String,
    value String,
    updated_at DateTime
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY key;

INSERT INTO {{db}}.pulse_info (key, value, updated_at) VALUES ('schema', 'factory-pulse', now());
