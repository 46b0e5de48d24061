-- Whether a user holds a workflow role (by role_code) now. Used by the approval functions
-- (only a holder of the approver role decides) and by the RLS helpers of the automation tables.
CREATE OR REPLACE FUNCTION automation.user_holds_role(p_user_id varchar, p_role_code varchar)
RETURNS boolean
LANGUAGE plpgsql
STABLE
STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- one definition of holding a role: entitlements.user_role_codes (validity window,
    -- active role, active user)
    RETURN p_role_code::text = ANY (entitlements.user_role_codes(p_user_id));
END;
$$;

COMMENT ON FUNCTION automation.user_holds_role(varchar, varchar) IS
    'true when the user holds the workflow role with this role_code now (entitlements.user_role_codes: valid grant, active role, active user).';

REVOKE ALL ON FUNCTION automation.user_holds_role(varchar, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.user_holds_role(varchar, varchar) TO pgwf_app, pgwf_worker;
