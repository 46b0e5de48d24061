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
    RETURN (SELECT COALESCE(array_agg(DISTINCT wr.role_code::text), '{}'::text[])
    FROM entitlements.user_workflow_roles uwr
    JOIN entitlements.workflow_roles wr ON wr.role_id = uwr.role_id
    JOIN entitlements.users u ON u.user_id = uwr.user_id
    WHERE uwr.user_id = p_user_id
      AND u.is_active IS TRUE
      AND wr.is_active IS TRUE
      AND (uwr.valid_from IS NULL OR uwr.valid_from <= pg_catalog.now())
      AND (uwr.valid_until IS NULL OR uwr.valid_until > pg_catalog.now()));
END;
$$;

COMMENT ON FUNCTION entitlements.user_role_codes(varchar) IS
    'Role codes the user holds now: only grants with valid_from <= now() < valid_until (NULL bounds open), of active roles, for an active user. Empty array for an unknown or inactive user.';

REVOKE ALL ON FUNCTION entitlements.user_role_codes(varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.user_role_codes(varchar) TO pgwf_app, pgwf_worker, pgwf_reporting;
