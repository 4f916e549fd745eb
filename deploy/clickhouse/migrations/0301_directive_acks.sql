-- Executor acknowledgements of directives (topic <prefix>.directives.ack), one row per
-- (directive, executor); replays rewrite the same row (version = the ack's event time).
CREATE TABLE IF NOT EXISTS {{db}}.directive_acks (
    directive_id String,
    pool String,
    executor String,
    status String,
    reason String,
    acked_at UInt64,
    event_id String
) ENGINE = ReplacingMergeTree(acked_at)
ORDER BY (pool, directive_id, executor);
