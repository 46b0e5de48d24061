-- Who is acting and how, for the audit columns (task_history.client_info, workflow_instances
-- and workflow_approvals client_info): the believed user, the database login, the auth method
-- (token with its token id, act_as, asserted by a trusted caller, or none) and the client's
-- application_name. Runs on every history row: one expression, so the planner inlines it, and a
-- signature is checked only for a login that is not trusted.
CREATE OR REPLACE FUNCTION entitlements.client_info()
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    -- proven: how the identity came is believed. A trusted caller is believed about it as about
    -- the identity itself (authenticate / act_as recorded the user they set in app.auth_user);
    -- anyone else's claim needs the signature. (The test appears twice: an inlined function has
    -- no local variables; each is cheap for a trusted caller.)
    SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
        'user', entitlements.current_user_id(),
        'login', session_user::text,
        'auth', CASE
            WHEN entitlements.current_user_id() IS NULL THEN 'none'
            WHEN CASE WHEN pg_catalog.pg_has_role(session_user, 'pgwf_trusted_caller', 'MEMBER')
                      THEN pg_catalog.current_setting('app.auth_user', true) IS NOT DISTINCT FROM entitlements.current_user_id()::text
                      ELSE NULLIF(pg_catalog.current_setting('app.identity_proof', true), '') IS NOT NULL
                           AND entitlements.identity_proven(entitlements.current_user_id()) END
                THEN pg_catalog.current_setting('app.auth_method', true)
            ELSE 'asserted' END,
        'token_id', CASE
            WHEN entitlements.current_user_id() IS NOT NULL
                 AND NULLIF(pg_catalog.current_setting('app.auth_token_id', true), '') IS NOT NULL
                 AND CASE WHEN pg_catalog.pg_has_role(session_user, 'pgwf_trusted_caller', 'MEMBER')
                          THEN pg_catalog.current_setting('app.auth_user', true) IS NOT DISTINCT FROM entitlements.current_user_id()::text
                          ELSE NULLIF(pg_catalog.current_setting('app.identity_proof', true), '') IS NOT NULL
                               AND entitlements.identity_proven(entitlements.current_user_id()) END
                THEN NULLIF(pg_catalog.current_setting('app.auth_token_id', true), '')::bigint END,
        'application', NULLIF(pg_catalog.current_setting('application_name', true), '')));
$$;

COMMENT ON FUNCTION entitlements.client_info() IS
    'The audit record of the current transaction: {"user", "login" (session_user), "auth": token | act_as | asserted (a trusted caller set app.current_user_id) | none, "token_id", "application" (application_name)}.';

REVOKE ALL ON FUNCTION entitlements.client_info() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.client_info() TO pgwf_app, pgwf_worker, pgwf_reporting;
