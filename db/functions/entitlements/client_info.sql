-- Who is acting and how, for the audit columns (task_history.client_info, workflow_instances
-- and workflow_approvals client_info): the believed user, the database login, the auth method
-- (token with its token id, act_as, asserted by a trusted caller, or none) and the client's
-- application_name. Runs on every history row, so the common case costs little: for a trusted
-- caller it is one small expression the planner inlines (a trusted caller is believed about how
-- the identity came as about the identity itself: authenticate / act_as recorded the user they set
-- in app.auth_user); any other login's record needs its signature checked, which
-- entitlements.verified_client_info does.
CREATE OR REPLACE FUNCTION entitlements.client_info()
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    -- Each node of an inlined expression is set up again in every statement that runs it, so the
    -- trusted branch reads the settings directly instead of expanding current_user_id() (which
    -- would repeat the trusted-caller test) and the other branch is one call.
    SELECT CASE WHEN pg_catalog.pg_has_role(session_user, 'pgwf_trusted_caller', 'MEMBER') THEN
        pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
            'user', NULLIF(pg_catalog.current_setting('app.current_user_id', true), ''),
            'login', session_user::text,
            'auth', CASE
                WHEN NULLIF(pg_catalog.current_setting('app.current_user_id', true), '') IS NULL THEN 'none'
                WHEN pg_catalog.current_setting('app.auth_user', true)
                     IS NOT DISTINCT FROM pg_catalog.current_setting('app.current_user_id', true)
                    THEN pg_catalog.current_setting('app.auth_method', true)
                ELSE 'asserted' END,
            'token_id', CASE
                WHEN pg_catalog.current_setting('app.auth_user', true)
                     IS NOT DISTINCT FROM pg_catalog.current_setting('app.current_user_id', true)
                    THEN NULLIF(pg_catalog.current_setting('app.auth_token_id', true), '')::bigint END,
            'application', NULLIF(pg_catalog.current_setting('application_name', true), '')))
    ELSE entitlements.verified_client_info() END;
$$;

COMMENT ON FUNCTION entitlements.client_info() IS
    'The audit record of the current transaction: {"user", "login" (session_user), "auth": token | act_as | asserted (a trusted caller set app.current_user_id) | none, "token_id", "application" (application_name)}. For a login that is not a trusted caller, entitlements.verified_client_info() (the signature decides).';

REVOKE ALL ON FUNCTION entitlements.client_info() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.client_info() TO pgwf_app, pgwf_worker, pgwf_reporting;
