-- Revokes one bearer token by its id; the API refuses it from then on.
-- Called by `pgwf token revoke ID` (a DBA login).
CREATE OR REPLACE FUNCTION entitlements.revoke_api_token(p_token_id BIGINT)
RETURNS VOID
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_revoked_at TIMESTAMPTZ;
BEGIN
    IF p_token_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'revoke_api_token: p_token_id is required';
    END IF;
    SELECT t.revoked_at INTO v_revoked_at
      FROM entitlements.api_tokens t WHERE t.token_id = p_token_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404', MESSAGE = format('token %s does not exist', p_token_id);
    END IF;
    IF v_revoked_at IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('token %s was already revoked at %s', p_token_id, v_revoked_at);
    END IF;
    UPDATE entitlements.api_tokens
       SET revoked_at = clock_timestamp(), revoked_by = session_user
     WHERE token_id = p_token_id;
END;
$$;

COMMENT ON FUNCTION entitlements.revoke_api_token(BIGINT) IS 'Revokes one bearer token; PW404 for an unknown id, PW409 when it is already revoked. For DBAs (pgwf token revoke); not granted to the group roles.';

REVOKE ALL ON FUNCTION entitlements.revoke_api_token(BIGINT) FROM PUBLIC;
