-- Whether a user may work on tasks at all: an active user holding, right now, a grant of an
-- active role (valid_from <= now() < valid_until). The task service refuses to act for, or
-- hand work to, anyone else.
CREATE OR REPLACE FUNCTION entitlements.has_valid_role(p_user_id varchar)
RETURNS boolean
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM entitlements.current_grants g WHERE g.user_id = p_user_id);
END;
$$;

COMMENT ON FUNCTION entitlements.has_valid_role(varchar) IS
    'True when the user is active and holds now (valid_from <= now() < valid_until, NULL bounds open) a grant of an active role; false for an unknown, inactive or role-less user and for NULL. The task service acts only for such users and hands work only to them.';

REVOKE ALL ON FUNCTION entitlements.has_valid_role(varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.has_valid_role(varchar) TO pgwf_app, pgwf_worker, pgwf_reporting;
