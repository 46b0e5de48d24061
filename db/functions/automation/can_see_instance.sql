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
    v_user varchar := entitlements.current_active_user_id();
BEGIN
    IF v_user IS NULL OR p_instance_id IS NULL THEN
        RETURN false;
    END IF;
    -- the person who started the run, one asked to decide one of its approvals, or one who
    -- holds or may take one of its queue tasks
    RETURN EXISTS (
        SELECT 1 FROM automation.workflow_instances wi
        WHERE wi.id = p_instance_id AND wi.triggered_by = v_user
    ) OR EXISTS (
        SELECT 1
        FROM automation.workflow_executions we
        JOIN automation.workflow_approvals wa ON wa.execution_id = we.id
        WHERE we.instance_id = p_instance_id
          AND (wa.approver_user_id = v_user OR automation.user_holds_role(v_user, wa.approver_role))
    ) OR EXISTS (
        SELECT 1
        FROM flowable.workflow_tasks t
        WHERE t.process_instance_id = p_instance_id::text
          AND (t.assignee_id = v_user OR t.candidate_users @> ARRAY[v_user::text]
               OR t.candidate_groups && entitlements.user_role_codes(v_user))
    );
END;
$$;

COMMENT ON FUNCTION automation.can_see_instance(uuid) IS
    'RLS helper: true when the current user started the run, decided or may decide one of its approvals, or holds or may take one of its queue tasks. No identity: false.';

REVOKE ALL ON FUNCTION automation.can_see_instance(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.can_see_instance(uuid) TO pgwf_app;
