-- Lets a person revoke the bearer token they are using (sign out): the API
-- passes the token of the request. Called by DELETE /me/token.
CREATE OR REPLACE FUNCTION entitlements.revoke_own_api_token(p_token TEXT)
RETURNS BIGINT
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_me VARCHAR(50) := entitlements.current_user_id();
    v_token_id BIGINT;
BEGIN
    IF v_me IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW401',
            MESSAGE = 'revoke_own_api_token: no identity: app.current_user_id is not set';
    END IF;
    UPDATE entitlements.api_tokens
       SET revoked_at = clock_timestamp(), revoked_by = v_me
     WHERE token_hash = encode(sha256(convert_to(coalesce(p_token, ''), 'UTF8')), 'hex')
       AND user_id = v_me
       AND revoked_at IS NULL
    RETURNING token_id INTO v_token_id;
    IF v_token_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404',
            MESSAGE = format('user %s has no live token like the one given', v_me);
    END IF;
    RETURN v_token_id;
END;
$$;

COMMENT ON FUNCTION entitlements.revoke_own_api_token(TEXT) IS 'Revokes the given bearer token when it belongs to the current identity and is not revoked yet (sign out); returns its id. PW401 without an identity, PW404 for a token that is not the caller''s live token. Called by the API.';

REVOKE ALL ON FUNCTION entitlements.revoke_own_api_token(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.revoke_own_api_token(TEXT) TO pgwf_app;
