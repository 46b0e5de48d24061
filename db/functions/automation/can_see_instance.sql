-- Row-level security helper: may the current user (app.current_user_id) see this run?
-- Used by the policies of workflow_instances, workflow_executions, workflow_notifications
-- (a SECURITY DEFINER function, so the policies do not recurse into each other).
CREATE OR REPLACE FUNCTION automation.can_see_instance(p_instance_id uuid)
RETURNS boolean
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_user varchar := NULLIF(current_setting('app.current_user_id', true), '');
BEGIN
    IF v_user IS NULL OR p_instance_id IS NULL THEN
        RETURN false;
    END IF;
    -- the person who started the run, or one asked to decide one of its approvals
    RETURN EXISTS (
        SELECT 1 FROM automation.workflow_instances wi
        WHERE wi.id = p_instance_id AND wi.triggered_by = v_user
    ) OR EXISTS (
        SELECT 1
        FROM automation.workflow_executions we
        JOIN automation.workflow_approvals wa ON wa.execution_id = we.id
        WHERE we.instance_id = p_instance_id
          AND (wa.approver_user_id = v_user OR automation.user_holds_role(v_user, wa.approver_role))
    );
END;
$$;

COMMENT ON FUNCTION automation.can_see_instance(uuid) IS
    'RLS helper: true when the current user started the run or decided or may decide one of its approvals. No identity: false.';

REVOKE ALL ON FUNCTION automation.can_see_instance(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.can_see_instance(uuid) TO pgwf_app;
