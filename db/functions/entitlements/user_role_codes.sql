-- The role codes a user holds right now: grant inside its validity window, role active,
-- user active. Used by claim_next_task, the task service checks and auto-assignment.
CREATE OR REPLACE FUNCTION entitlements.user_role_codes(p_user_id varchar)
RETURNS text[]
LANGUAGE plpgsql
STABLE
STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
-- PL/pgSQL rather than SQL so the query plan is cached across calls.
BEGIN
    RETURN (SELECT COALESCE(array_agg(DISTINCT g.role_code::text), '{}'::text[])
            FROM entitlements.current_grants g
            WHERE g.user_id = p_user_id);
END;
$$;

COMMENT ON FUNCTION entitlements.user_role_codes(varchar) IS
    'Role codes the user holds now: only grants with valid_from <= now() < valid_until (NULL bounds open), of active roles, for an active user. Empty array for an unknown or inactive user.';

REVOKE ALL ON FUNCTION entitlements.user_role_codes(varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.user_role_codes(varchar) TO pgwf_app, pgwf_worker, pgwf_reporting;
