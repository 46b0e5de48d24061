-- Authenticates the caller in the database: a valid bearer token (entitlements.verify_api_token)
-- becomes the transaction's identity, signed, so entitlements.current_user_id believes it from
-- any login. The way in for applications that call the stored functions with their own login;
-- the HTTP API calls it in each request's transaction too. Returns the user id.
CREATE OR REPLACE FUNCTION entitlements.authenticate(p_token TEXT)
RETURNS VARCHAR(50)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_token entitlements.api_tokens := entitlements.verify_api_token(p_token);
BEGIN
    RETURN entitlements.sign_identity(v_token.user_id, 'token', v_token.token_id);
END;
$$;

COMMENT ON FUNCTION entitlements.authenticate(TEXT) IS 'Makes the owner of a valid bearer token the identity of the current transaction (app.current_user_id, signed; auth method token and the token id recorded in client_info) and returns the user id. PW401 for an unknown, revoked or expired token or an inactive user. Transaction-scoped: call it inside the transaction that acts.';

REVOKE ALL ON FUNCTION entitlements.authenticate(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.authenticate(TEXT) TO pgwf_app, pgwf_worker, pgwf_reporting;
