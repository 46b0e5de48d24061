-- Lists bearer tokens without their hashes, for `pgwf token list` (a DBA login).
CREATE OR REPLACE FUNCTION entitlements.list_api_tokens(p_user_id VARCHAR(50) DEFAULT NULL)
RETURNS TABLE (
    token_id BIGINT,
    user_id VARCHAR(50),
    token_prefix VARCHAR(16),
    description TEXT,
    created_at TIMESTAMPTZ,
    expires_at TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    state TEXT
)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT t.token_id, t.user_id, t.token_prefix, t.description, t.created_at,
           t.expires_at, t.last_used_at, t.revoked_at,
           CASE WHEN t.revoked_at IS NOT NULL THEN 'revoked'
                WHEN t.expires_at <= clock_timestamp() THEN 'expired'
                ELSE 'valid' END
      FROM entitlements.api_tokens t
     WHERE p_user_id IS NULL OR t.user_id = p_user_id
     ORDER BY t.user_id, t.token_id;
$$;

COMMENT ON FUNCTION entitlements.list_api_tokens(VARCHAR) IS 'Every token (or one user''s) with its state: valid, expired or revoked; never the hash. For DBAs (pgwf token list).';

REVOKE ALL ON FUNCTION entitlements.list_api_tokens(VARCHAR) FROM PUBLIC;
