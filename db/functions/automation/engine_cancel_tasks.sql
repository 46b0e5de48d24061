-- Engine helper: the system cancels queue tasks whose work is gone (a stopped run, an expired
-- approval, an orphan found by maintenance): each unfinished one becomes CANCELLED with the
-- reason and one CANCEL history row by SYSTEM with its true old status and assignee. A task whose
-- row someone holds right now is skipped rather than waited for (a completion holding it waits
-- for the run, so waiting could deadlock); close_orphaned_tasks picks it up later.
CREATE OR REPLACE FUNCTION automation.engine_cancel_tasks(p_task_ids varchar[], p_reason text)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_cancelled integer;
BEGIN
    WITH open_tasks AS (
        SELECT t.task_id, t.status, t.assignee_id
        FROM flowable.workflow_tasks t
        WHERE t.task_id = ANY (p_task_ids)
          AND t.status NOT IN ('COMPLETED', 'CANCELLED')
        FOR UPDATE SKIP LOCKED
    ), cancelled AS (
        UPDATE flowable.workflow_tasks t
        SET status = 'CANCELLED',
            completed_at = now(),
            completed_by = 'SYSTEM',
            outcome_reason = p_reason
        FROM open_tasks o
        WHERE t.task_id = o.task_id
        RETURNING t.task_id, t.process_instance_id, o.status AS old_status, o.assignee_id
    ), logged AS (
        INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, old_status, new_status,
                                           old_assignee, new_assignee, comments)
        SELECT c.task_id, c.process_instance_id, 'CANCEL', 'SYSTEM', c.old_status, 'CANCELLED',
               c.assignee_id, c.assignee_id, p_reason
        FROM cancelled c
    )
    SELECT count(*)::integer INTO v_cancelled FROM cancelled;
    RETURN v_cancelled;
END;
$$;

COMMENT ON FUNCTION automation.engine_cancel_tasks(varchar[], text) IS
    'Cancels the unfinished tasks among p_task_ids as SYSTEM with p_reason (outcome_reason and one CANCEL history row each, true old status and assignee); tasks locked by others are skipped. Returns how many were cancelled. Used by engine_close_open_work, expire_workflow_approvals and close_orphaned_tasks; internal.';

REVOKE ALL ON FUNCTION automation.engine_cancel_tasks(varchar[], text) FROM PUBLIC;
