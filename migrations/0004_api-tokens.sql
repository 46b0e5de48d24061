-- pgwf 0004: bearer tokens of the HTTP API (entitlements.api_tokens).
-- depends: 0002_case-routing-tables

SET LOCAL ROLE pgwf_owner;

CREATE TABLE entitlements.api_tokens (
    token_id BIGSERIAL,
    user_id VARCHAR(50) NOT NULL,
    token_hash TEXT NOT NULL,
    token_prefix VARCHAR(16) NOT NULL,
    description TEXT,
    created_by VARCHAR(50) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    revoked_by VARCHAR(50),
    CONSTRAINT api_tokens_pkey PRIMARY KEY (token_id),
    CONSTRAINT uq_api_tokens_token_hash UNIQUE (token_hash),
    CONSTRAINT fk_api_tokens_user FOREIGN KEY (user_id)
        REFERENCES entitlements.users (user_id) ON DELETE CASCADE,
    CONSTRAINT chk_api_tokens_hash_format CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT chk_api_tokens_expiry CHECK (expires_at > created_at),
    CONSTRAINT chk_api_tokens_revocation CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

CREATE INDEX idx_api_tokens_user ON entitlements.api_tokens (user_id);

COMMENT ON TABLE entitlements.api_tokens IS 'Bearer tokens of the HTTP API: a SHA-256 hash of each token, its owner, expiry and revocation. The token itself is shown once, by pgwf token create.';
COMMENT ON COLUMN entitlements.api_tokens.user_id IS 'The person the token acts as (app.current_user_id of each request); the token goes when the user is deleted.';
COMMENT ON COLUMN entitlements.api_tokens.token_hash IS 'Lower-case hex SHA-256 of the whole token; the token itself is never stored.';
COMMENT ON COLUMN entitlements.api_tokens.token_prefix IS 'The first characters of the token, to tell tokens apart in listings and logs.';
COMMENT ON COLUMN entitlements.api_tokens.created_by IS 'Database login (session_user) that created the token.';
COMMENT ON COLUMN entitlements.api_tokens.expires_at IS 'The token is refused from this instant on.';
COMMENT ON COLUMN entitlements.api_tokens.last_used_at IS 'Last successful authentication, kept to the minute.';
COMMENT ON COLUMN entitlements.api_tokens.revoked_at IS 'Set when the token is revoked; a revoked token is refused.';
COMMENT ON COLUMN entitlements.api_tokens.revoked_by IS 'Database login that revoked the token.';

RESET ROLE;
