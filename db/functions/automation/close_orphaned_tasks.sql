-- Maintenance duty: cancel the queue tasks whose engine step is closed while the task is still
-- unfinished. engine_close_open_work and expire_workflow_approvals skip a task whose row someone
-- holds at that moment (a completion holding it waits for the run, so waiting for it could
-- deadlock); such a task would otherwise stay open, claimable work of a stopped run or a closed
-- approval. Called by run_maintenance every minute; a task still locked is left for the next run.
CREATE OR REPLACE FUNCTION automation.close_orphaned_tasks()
RETURNS integer
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH orphans AS (
        SELECT t.task_id, t.status, t.assignee_id,
               COALESCE(we.error_message, 'its workflow step is ' || we.status) AS reason
        FROM flowable.workflow_tasks t
        JOIN automation.workflow_executions we
          ON we.id = CASE WHEN t.task_data ->> 'execution_id'
                                 ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
                          THEN (t.task_data ->> 'execution_id')::uuid END
        WHERE t.status IN ('OPEN', 'CLAIMED', 'DELEGATED', 'ESCALATED')
          AND t.task_data ? 'execution_id'
          AND we.status NOT IN ('pending', 'running', 'waiting_approval')
        FOR UPDATE OF t SKIP LOCKED
    ), cancelled AS (
        UPDATE flowable.workflow_tasks t
        SET status = 'CANCELLED',
            completed_at = pg_catalog.now(),
            completed_by = 'SYSTEM',
            outcome_reason = o.reason
        FROM orphans o
        WHERE t.task_id = o.task_id
        RETURNING t.task_id, t.process_instance_id, o.status AS old_status, o.assignee_id, o.reason
    ), logged AS (
        INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, old_status, new_status,
                                           old_assignee, new_assignee, comments)
        SELECT c.task_id, c.process_instance_id, 'CANCEL', 'SYSTEM', c.old_status, 'CANCELLED',
               c.assignee_id, c.assignee_id, c.reason
        FROM cancelled c
    )
    SELECT pg_catalog.count(*)::integer FROM cancelled;
$$;

COMMENT ON FUNCTION automation.close_orphaned_tasks() IS
    'Cancels every unfinished queue task whose engine step (task_data.execution_id) is no longer pending, running or waiting_approval: left open when the run stopped or the approval closed while someone held the task''s row. One CANCEL history row each (by SYSTEM, the step''s error as comment); tasks locked now are left for the next call. Returns how many were cancelled. Run by run_maintenance (internal: no role may call it directly).';

REVOKE ALL ON FUNCTION automation.close_orphaned_tasks() FROM PUBLIC;
