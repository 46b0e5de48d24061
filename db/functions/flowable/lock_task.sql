-- Lock one task for a change by the task service and return it; PW404 when it does not exist
-- or the acting user may not see it (the same answer, so ids of hidden tasks leak nothing).
-- p_lock false reads it without a lock, for what changes no task (a comment), so that it never
-- waits behind a state change in progress.
CREATE OR REPLACE FUNCTION flowable.lock_task(p_task_id varchar, p_user_id varchar, p_action text, p_lock boolean DEFAULT true)
RETURNS flowable.workflow_tasks
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_task flowable.workflow_tasks;
BEGIN
    IF p_lock THEN
        SELECT * INTO v_task FROM flowable.workflow_tasks WHERE task_id = p_task_id FOR UPDATE;
    ELSE
        SELECT * INTO v_task FROM flowable.workflow_tasks WHERE task_id = p_task_id;
    END IF;
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

COMMENT ON FUNCTION flowable.lock_task(varchar, varchar, text, boolean) IS
    'Locks the task (FOR UPDATE; with p_lock false only reads it, as committed now) and returns it when p_user_id may see it, as task_access_policy says (holder, owner, candidate user, holder of a candidate group, or a queue of entitlements.visible_queue_names()); else PW404. Internal to the task service.';

REVOKE ALL ON FUNCTION flowable.lock_task(varchar, varchar, text, boolean) FROM PUBLIC;
