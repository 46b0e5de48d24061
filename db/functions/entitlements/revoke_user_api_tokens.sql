-- Revokes every live bearer token of one user (someone leaves, a laptop is
-- lost). Called by `pgwf token revoke --user USER` (a DBA login).
CREATE OR REPLACE FUNCTION entitlements.revoke_user_api_tokens(p_user_id VARCHAR(50))
RETURNS INTEGER
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_count INTEGER;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM entitlements.users u WHERE u.user_id = p_user_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404',
            MESSAGE = format('user %s does not exist', coalesce(p_user_id, 'NULL'));
    END IF;
    UPDATE entitlements.api_tokens
       SET revoked_at = clock_timestamp(), revoked_by = session_user
     WHERE user_id = p_user_id AND revoked_at IS NULL;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

COMMENT ON FUNCTION entitlements.revoke_user_api_tokens(VARCHAR) IS 'Revokes every token of a user that is not revoked yet and returns how many; PW404 for an unknown user. For DBAs (pgwf token revoke --user).';

REVOKE ALL ON FUNCTION entitlements.revoke_user_api_tokens(VARCHAR) FROM PUBLIC;
