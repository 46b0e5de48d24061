-- The operator path: a trusted caller (a login in pgwf_trusted_caller, or a superuser: the CLI's
-- --as, support tools) acts as a named active user, and the audit records it as act_as with the
-- database login. Refused for any other login, and for unknown or inactive users.
CREATE OR REPLACE FUNCTION entitlements.act_as(p_user_id VARCHAR)
RETURNS VARCHAR(50)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_active boolean;
BEGIN
    IF NOT pg_has_role(session_user, 'pgwf_trusted_caller', 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('act_as: login %s may not act as another user', session_user),
            HINT = 'Only members of pgwf_trusted_caller may; other logins call entitlements.authenticate(token).';
    END IF;
    IF p_user_id IS NULL OR p_user_id = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'act_as: p_user_id is required';
    END IF;
    SELECT u.is_active INTO v_active FROM entitlements.users u WHERE u.user_id = p_user_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404', MESSAGE = format('act_as: user %s does not exist', p_user_id),
            HINT = 'pgwf user list shows the users.';
    END IF;
    IF v_active IS NOT TRUE THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403', MESSAGE = format('act_as: user %s is inactive', p_user_id);
    END IF;
    RETURN entitlements.sign_identity(p_user_id, 'act_as', NULL);
END;
$$;

COMMENT ON FUNCTION entitlements.act_as(VARCHAR) IS 'Operator path: makes an active user the identity of the current transaction (signed; auth method act_as recorded with the database login in client_info). Only for logins in pgwf_trusted_caller (and superusers): PW403 otherwise; PW404 unknown user, PW403 inactive user.';

REVOKE ALL ON FUNCTION entitlements.act_as(VARCHAR) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.act_as(VARCHAR) TO pgwf_app, pgwf_worker, pgwf_reporting;
