-- Whether a user may work on tasks at all: an active user holding, right now, a grant of an
-- active role (valid_from <= now() < valid_until). The task service refuses to act for, or
-- hand work to, anyone else.
CREATE OR REPLACE FUNCTION entitlements.has_valid_role(p_user_id varchar)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1
        FROM entitlements.user_workflow_roles uwr
        JOIN entitlements.workflow_roles wr ON wr.role_id = uwr.role_id
        JOIN entitlements.users u ON u.user_id = uwr.user_id
        WHERE uwr.user_id = p_user_id
          AND u.is_active IS TRUE
          AND wr.is_active IS TRUE
          AND (uwr.valid_from IS NULL OR uwr.valid_from <= pg_catalog.now())
          AND (uwr.valid_until IS NULL OR uwr.valid_until > pg_catalog.now())
    );
$$;

COMMENT ON FUNCTION entitlements.has_valid_role(varchar) IS
    'True when the user is active and holds now (valid_from <= now() < valid_until, NULL bounds open) a grant of an active role; false for an unknown, inactive or role-less user and for NULL. The task service acts only for such users and hands work only to them.';

REVOKE ALL ON FUNCTION entitlements.has_valid_role(varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.has_valid_role(varchar) TO pgwf_app, pgwf_worker, pgwf_reporting;
