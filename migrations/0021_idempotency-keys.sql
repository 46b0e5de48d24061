-- pgwf 0021: idempotent retries of task actions and run starts (issue 17, item 6;
-- docs/operations.md, "Recovery guarantees").
-- depends: 0020_history-retention
--
-- * idempotency_keys: the first result of a call made with an idempotency key, by user and
--   key, so a retry whose first answer was lost gets that answer instead of PW409.

SET LOCAL ROLE pgwf_owner;

CREATE TABLE automation.idempotency_keys (
    user_id VARCHAR(100) NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    action VARCHAR(100) NOT NULL,
    request_hash BYTEA NOT NULL,
    result JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (user_id, idempotency_key),
    CONSTRAINT ck_idempotency_keys_key CHECK (char_length(idempotency_key) BETWEEN 1 AND 255)
);

CREATE INDEX idx_idempotency_keys_created_at ON automation.idempotency_keys (created_at);

COMMENT ON TABLE automation.idempotency_keys IS 'pgwf addition: the first result of a task action or run start made with an idempotency key, by user and key; a repeat with the same key and arguments returns it, other arguments are refused (PW422). Purged after pgwf.idempotency_key_hours (default 24) by run_maintenance.';
COMMENT ON COLUMN automation.idempotency_keys.user_id IS 'Who made the call (app.current_user_id): keys of different users never meet.';
COMMENT ON COLUMN automation.idempotency_keys.idempotency_key IS 'The client''s key (the Idempotency-Key header, the p_idempotency_key argument), 1 to 255 characters.';
COMMENT ON COLUMN automation.idempotency_keys.action IS 'The function the key was used with, e.g. complete_task.';
COMMENT ON COLUMN automation.idempotency_keys.request_hash IS 'SHA-256 of the call''s arguments as JSON: a repeat must carry the same.';
COMMENT ON COLUMN automation.idempotency_keys.result IS 'The first call''s result as JSON (the task row, the run id, JSON null for an approval); NULL while that call''s transaction is open.';
COMMENT ON COLUMN automation.idempotency_keys.created_at IS 'When the key was first used; it expires pgwf.idempotency_key_hours later.';

RESET ROLE;
