-- Rate limits shared by every instance: one row per rule and subject
-- ("comments:15s:account:42"), the subject's current window under that
-- rule: when it closes (Unix ms) and how many actions it has counted. A
-- check is one upsert whatever the traffic; a row whose window has closed
-- counts for nothing, the same as no row, so such rows are pruned.
CREATE TABLE rate_limits (
    bucket    TEXT    PRIMARY KEY,
    resets_at INTEGER NOT NULL,
    used      INTEGER NOT NULL
);
CREATE INDEX rate_limits_resets_at ON rate_limits (resets_at);
