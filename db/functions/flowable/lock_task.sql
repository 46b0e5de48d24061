-- Lock one task for a change by the task service and return it; PW404 when it does not exist
-- or the acting user may not see it (the same answer, so ids of hidden tasks leak nothing).
CREATE OR REPLACE FUNCTION flowable.lock_task(p_task_id varchar, p_user_id varchar, p_action text)
RETURNS flowable.workflow_tasks
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_task flowable.workflow_tasks;
BEGIN
    SELECT * INTO v_task FROM flowable.workflow_tasks WHERE task_id = p_task_id FOR UPDATE;
    IF NOT FOUND OR (
           v_task.assignee_id = p_user_id
        OR v_task.claimed_by = p_user_id
        OR v_task.candidate_users @> ARRAY[p_user_id::text]
        OR v_task.candidate_groups && entitlements.user_role_codes(p_user_id)
        OR v_task.queue_name = ANY (entitlements.visible_queue_names())) IS NOT TRUE THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404',
            MESSAGE = format('%s: task %s not found', p_action, COALESCE(p_task_id, 'NULL'));
    END IF;
    RETURN v_task;
END;
$$;

COMMENT ON FUNCTION flowable.lock_task(varchar, varchar, text) IS
    'Locks the task (FOR UPDATE) and returns it when p_user_id may see it, as task_access_policy says (holder, owner, candidate user, holder of a candidate group, or a queue of entitlements.visible_queue_names()); else PW404. Internal to the task service.';

REVOKE ALL ON FUNCTION flowable.lock_task(varchar, varchar, text) FROM PUBLIC;
