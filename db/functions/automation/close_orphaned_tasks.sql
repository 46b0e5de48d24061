-- Maintenance duty: cancel the queue tasks whose engine step is closed while the task is still
-- unfinished. engine_close_open_work and expire_workflow_approvals skip a task whose row someone
-- holds at that moment (a completion holding it waits for the run, so waiting for it could
-- deadlock); such a task would otherwise stay open, claimable work of a stopped run or a closed
-- approval. Called by run_maintenance every minute.
CREATE OR REPLACE FUNCTION automation.close_orphaned_tasks()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_orphan record;
    v_closed integer := 0;
    v_state text;
    v_msg text;
BEGIN
    -- One task at a time, in the engine's lock order (run, then task, then, through the load
    -- trigger, its queue), each in its own sub-transaction: orphans are rare, a task or run that
    -- is busy now is left for the next call, and a task that cannot be cancelled is reported
    -- without keeping the others open.
    FOR v_orphan IN
        SELECT t.task_id, we.instance_id,
               COALESCE(we.error_message, 'its workflow step is ' || we.status) AS reason
        FROM flowable.workflow_tasks t
        JOIN automation.workflow_executions we
          ON we.id = CASE WHEN t.task_data ->> 'execution_id'
                                 ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
                          THEN (t.task_data ->> 'execution_id')::uuid END
        WHERE t.status IN ('OPEN', 'CLAIMED', 'DELEGATED', 'ESCALATED')
          AND t.task_data ? 'execution_id'
          AND t.process_instance_id = we.instance_id::text  -- a step of the task's own run
          AND we.status NOT IN ('pending', 'running', 'waiting_approval')
        ORDER BY t.task_id
    LOOP
        BEGIN
            PERFORM 1 FROM automation.workflow_instances wi WHERE wi.id = v_orphan.instance_id FOR UPDATE SKIP LOCKED;
            IF FOUND THEN
                v_closed := v_closed + automation.engine_cancel_tasks(ARRAY[v_orphan.task_id], v_orphan.reason);
            END IF;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
            RAISE WARNING 'close_orphaned_tasks: task % left open (SQLSTATE %): %', v_orphan.task_id, v_state, v_msg;
        END;
    END LOOP;
    RETURN v_closed;
END;
$$;

COMMENT ON FUNCTION automation.close_orphaned_tasks() IS
    'Cancels every unfinished queue task whose engine step (task_data.execution_id) is no longer pending, running or waiting_approval: left open when the run stopped or the approval closed while someone held the task''s row. One task at a time, locking its run first as the engine does; one CANCEL history row each (by SYSTEM, the step''s error as comment). A task or run locked now is left for the next call; a task that cannot be cancelled is left open with a WARNING. Returns how many were cancelled. Run by run_maintenance (internal: no role may call it directly).';

REVOKE ALL ON FUNCTION automation.close_orphaned_tasks() FROM PUBLIC;
