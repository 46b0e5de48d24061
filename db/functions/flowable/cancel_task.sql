-- Cancel an unfinished task (a queue supervisor's decision); the engine resumes or ends the run
-- from its own trigger.
CREATE OR REPLACE FUNCTION flowable.cancel_task(p_task_id varchar, p_reason text DEFAULT NULL)
RETURNS flowable.workflow_tasks
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_me varchar := flowable.acting_user('cancel_task');
    v_old flowable.workflow_tasks := flowable.lock_task(p_task_id, v_me, 'cancel_task');
    v_task flowable.workflow_tasks;
BEGIN
    IF v_old.status NOT IN ('OPEN', 'CLAIMED', 'ESCALATED', 'DELEGATED') THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('cancel_task: task %s is already %s', p_task_id, v_old.status);
    END IF;
    IF NOT flowable.is_queue_supervisor(v_me, v_old.queue_name) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('cancel_task: user %s does not supervise queue %s', v_me, v_old.queue_name);
    END IF;

    UPDATE flowable.workflow_tasks
    SET status = 'CANCELLED', completed_at = pg_catalog.now(), completed_by = v_me, outcome_reason = p_reason
    WHERE task_id = p_task_id
    RETURNING * INTO v_task;

    INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by,
                                       old_status, new_status, old_assignee, new_assignee, comments)
    VALUES (p_task_id, v_task.process_instance_id, 'CANCEL', v_me, v_old.status, 'CANCELLED',
            v_old.assignee_id, v_task.assignee_id, p_reason);
    RETURN v_task;
END;
$$;

COMMENT ON FUNCTION flowable.cancel_task(varchar, text) IS
    'A supervisor of the task''s queue cancels an unfinished task (status CANCELLED, completed_at/by set, reason in outcome_reason). Errors: PW401, PW404, PW409 already finished, PW403 not a supervisor. One CANCEL history row.';

REVOKE ALL ON FUNCTION flowable.cancel_task(varchar, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.cancel_task(varchar, text) TO pgwf_app;
