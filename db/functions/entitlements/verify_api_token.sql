-- Checks a bearer token: known, not revoked, not expired, its user active; records its last use.
-- Returns the token's row. Internal to entitlements.authenticate and authenticate_token.
CREATE OR REPLACE FUNCTION entitlements.verify_api_token(p_token TEXT)
RETURNS entitlements.api_tokens
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_row entitlements.api_tokens;
    v_active boolean;
BEGIN
    IF p_token IS NULL OR p_token = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW401',
            MESSAGE = 'no bearer token given',
            HINT = 'Send Authorization: Bearer <token> (pgwf token create USER makes one).';
    END IF;

    SELECT t.* INTO v_row
      FROM entitlements.api_tokens t
     WHERE t.token_hash = encode(sha256(convert_to(p_token, 'UTF8')), 'hex');
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW401', MESSAGE = 'the bearer token is not known';
    END IF;
    SELECT u.is_active INTO v_active FROM entitlements.users u WHERE u.user_id = v_row.user_id;
    IF v_row.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW401',
            MESSAGE = format('the bearer token %s... was revoked', v_row.token_prefix);
    END IF;
    IF v_row.expires_at <= clock_timestamp() THEN
        RAISE EXCEPTION USING ERRCODE = 'PW401',
            MESSAGE = format('the bearer token %s... has expired', v_row.token_prefix);
    END IF;
    IF v_active IS NOT TRUE THEN
        RAISE EXCEPTION USING ERRCODE = 'PW401',
            MESSAGE = format('the user of bearer token %s... is inactive', v_row.token_prefix);
    END IF;

    -- Kept to the minute, so a busy token is not rewritten on every request, and skipped
    -- while another transaction holds the row (a concurrent request of the same person,
    -- a revocation): bookkeeping never makes a request wait. Not recorded in a read-only
    -- transaction (a hot standby serving reports): a token works there as on the primary.
    IF (v_row.last_used_at IS NULL OR v_row.last_used_at < clock_timestamp() - INTERVAL '1 minute')
       AND pg_catalog.current_setting('transaction_read_only') = 'off' THEN
        UPDATE entitlements.api_tokens SET last_used_at = clock_timestamp()
         WHERE token_id = (SELECT l.token_id FROM entitlements.api_tokens l
                            WHERE l.token_id = v_row.token_id
                            FOR UPDATE SKIP LOCKED);
    END IF;
    RETURN v_row;
END;
$$;

COMMENT ON FUNCTION entitlements.verify_api_token(TEXT) IS 'The api_tokens row of a valid bearer token (known, not revoked, not expired, user active); PW401 otherwise, naming which. Records last use to the minute, skipped when another transaction holds the token row (never waits) and in a read-only transaction (a hot standby). Internal.';

REVOKE ALL ON FUNCTION entitlements.verify_api_token(TEXT) FROM PUBLIC;
