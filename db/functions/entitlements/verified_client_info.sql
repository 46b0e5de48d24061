-- The audit record (entitlements.client_info) of a login that is not a trusted caller: its
-- identity and how it came count only when entitlements.authenticate or act_as signed them in
-- this transaction, and entitlements.current_user_id() is not NULL only then (its signature
-- covers app.auth_method and app.auth_token_id too). PL/pgSQL, so the planned expression is kept
-- for the session.
CREATE OR REPLACE FUNCTION entitlements.verified_client_info()
RETURNS jsonb
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_user varchar := entitlements.current_user_id();
BEGIN
    RETURN pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
        'user', v_user,
        'login', session_user::text,
        'auth', CASE WHEN v_user IS NULL THEN 'none' ELSE pg_catalog.current_setting('app.auth_method', true) END,
        'token_id', CASE WHEN v_user IS NOT NULL
                         THEN NULLIF(pg_catalog.current_setting('app.auth_token_id', true), '')::bigint END,
        'application', NULLIF(pg_catalog.current_setting('application_name', true), '')));
END;
$$;

COMMENT ON FUNCTION entitlements.verified_client_info() IS
    'entitlements.client_info() for a login that is not a trusted caller: the user only when believed (signed in this transaction), auth token | act_as from the signed app.auth_method with its token id; none when nothing is believed (an unsigned claim included).';

REVOKE ALL ON FUNCTION entitlements.verified_client_info() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.verified_client_info() TO pgwf_app, pgwf_worker, pgwf_reporting;
