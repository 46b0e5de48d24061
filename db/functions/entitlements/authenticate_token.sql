-- Resolves a bearer token to its user, without setting any identity: the user id of a valid
-- token (entitlements.verify_api_token checks it). Callers that act for the person call
-- entitlements.authenticate instead, which also signs the identity.
CREATE OR REPLACE FUNCTION entitlements.authenticate_token(p_token TEXT)
RETURNS VARCHAR(50)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN (entitlements.verify_api_token(p_token)).user_id;
END;
$$;

COMMENT ON FUNCTION entitlements.authenticate_token(TEXT) IS 'The user_id of a valid bearer token (known, not revoked, not expired, user active); PW401 otherwise, naming which. Sets no identity: entitlements.authenticate does that. Records last use to the minute (not in a read-only transaction such as a hot standby), never waiting on a locked token row.';

REVOKE ALL ON FUNCTION entitlements.authenticate_token(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.authenticate_token(TEXT) TO pgwf_app;
