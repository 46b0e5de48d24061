-- The pgwf identity of the current transaction when it names an active user, else NULL.
-- Used by the row-level security policies that match a row to the person directly
-- (assignee, owner, candidate user), so a deactivated user sees nothing at once.
CREATE OR REPLACE FUNCTION entitlements.current_active_user_id()
RETURNS varchar
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN (SELECT u.user_id
            FROM entitlements.users u
            WHERE u.user_id = entitlements.current_user_id()
              AND u.is_active IS TRUE);
END;
$$;

COMMENT ON FUNCTION entitlements.current_active_user_id() IS
    'app.current_user_id when it names an active entitlements.users row; NULL when unset, empty, unknown or inactive. SECURITY DEFINER so policies can read users whatever users'' own policy lets the caller see.';

REVOKE ALL ON FUNCTION entitlements.current_active_user_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.current_active_user_id() TO pgwf_app, pgwf_worker, pgwf_reporting;
