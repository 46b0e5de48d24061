-- Engine helper: when a run stops (failed, cancelled, or terminated by an end node), its open
-- steps fail with the reason, its pending approvals expire and its open queue tasks are
-- cancelled (with a task_history row). Called by engine_fail_run, cancel_workflow, engine_advance.
CREATE OR REPLACE FUNCTION automation.engine_close_open_work(p_instance_id uuid, p_reason text)
RETURNS void
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    -- steps first: the task trigger then sees no open step and leaves the run alone
    UPDATE automation.workflow_executions
    SET status = 'failed',
        error_message = p_reason,
        completed_at = now(),
        lease_expires_at = NULL
    WHERE instance_id = p_instance_id AND status IN ('pending', 'running', 'waiting_approval');

    UPDATE automation.workflow_approvals wa
    SET status = 'expired',
        responded_at = now(),
        rejection_reason = p_reason
    FROM automation.workflow_executions we
    WHERE we.id = wa.execution_id AND we.instance_id = p_instance_id AND wa.status = 'pending';

    WITH open_tasks AS (
        SELECT t.task_id, t.status, t.assignee_id
        FROM flowable.workflow_tasks t
        WHERE t.process_instance_id = p_instance_id::text
          AND t.status NOT IN ('COMPLETED', 'CANCELLED')
        -- a task someone is completing right now holds its row and waits for the run: skip it
        -- (its completion then finds the step closed and changes nothing) instead of deadlocking
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
    )
    INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, old_status, new_status,
                                       old_assignee, new_assignee, comments)
    SELECT c.task_id, c.process_instance_id, 'CANCEL', 'SYSTEM', c.old_status, 'CANCELLED', c.assignee_id, c.assignee_id, p_reason
    FROM cancelled c;

$$;

COMMENT ON FUNCTION automation.engine_close_open_work(uuid, text) IS
    'Closes what a stopped run still has open: steps fail, pending approvals expire, open queue tasks are cancelled (task_history CANCEL by SYSTEM), each with the reason.';

REVOKE ALL ON FUNCTION automation.engine_close_open_work(uuid, text) FROM PUBLIC;
