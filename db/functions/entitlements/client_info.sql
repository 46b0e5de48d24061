-- Who is acting and how, for the audit columns (task_history.client_info, workflow_instances
-- and workflow_approvals client_info): the believed user, the database login, the auth method
-- (token with its token id, act_as, asserted by a trusted caller, or none) and the client's
-- application_name.
CREATE OR REPLACE FUNCTION entitlements.client_info()
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'user', u.user_id,
        'login', session_user::text,
        'auth', CASE WHEN u.user_id IS NULL THEN 'none'
                     WHEN u.proven THEN pg_catalog.current_setting('app.auth_method', true)
                     ELSE 'asserted' END,
        'token_id', CASE WHEN u.proven THEN NULLIF(pg_catalog.current_setting('app.auth_token_id', true), '')::bigint END,
        'application', NULLIF(pg_catalog.current_setting('application_name', true), '')))
    FROM (SELECT entitlements.current_user_id() AS user_id,
                 entitlements.identity_proven(pg_catalog.current_setting('app.current_user_id', true)) AS proven) u;
$$;

COMMENT ON FUNCTION entitlements.client_info() IS
    'The audit record of the current transaction: {"user", "login" (session_user), "auth": token | act_as | asserted (a trusted caller set app.current_user_id) | none, "token_id", "application" (application_name)}.';

REVOKE ALL ON FUNCTION entitlements.client_info() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.client_info() TO pgwf_app, pgwf_worker, pgwf_reporting;
