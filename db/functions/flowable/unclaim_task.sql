-- Give a claimed task back to its queue (the holder's "unclaim" / "release"); with an
-- idempotency key, a repeat returns the first answer instead of PW409.
CREATE OR REPLACE FUNCTION flowable.unclaim_task(p_task_id varchar, p_comment text DEFAULT NULL, p_idempotency_key varchar DEFAULT NULL)
RETURNS flowable.workflow_tasks
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_me varchar := flowable.acting_user('unclaim_task');
    v_replay jsonb := automation.idempotency_begin(p_idempotency_key, 'unclaim_task', pg_catalog.jsonb_build_array(p_task_id, p_comment));
    v_old flowable.workflow_tasks;
    v_task flowable.workflow_tasks;
BEGIN
    IF v_replay IS NOT NULL THEN
        RETURN pg_catalog.jsonb_populate_record(NULL::flowable.workflow_tasks, v_replay);
    END IF;
    v_old := flowable.lock_task(p_task_id, v_me, 'unclaim_task');
    IF v_old.status NOT IN ('CLAIMED', 'ESCALATED') OR v_old.assignee_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('unclaim_task: task %s is %s and held by nobody', p_task_id, v_old.status);
    END IF;
    IF v_old.assignee_id <> v_me THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('unclaim_task: task %s is held by %s, not %s', p_task_id, v_old.assignee_id, v_me);
    END IF;

    -- An escalated task stays ESCALATED (and claimable); a plain claim goes back to OPEN.
    UPDATE flowable.workflow_tasks
    SET status = CASE WHEN v_old.status = 'ESCALATED' THEN 'ESCALATED' ELSE 'OPEN' END,
        assignee_id = NULL, claimed_at = NULL, claimed_by = NULL
    WHERE task_id = p_task_id
    RETURNING * INTO v_task;

    INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by,
                                       old_status, new_status, old_assignee, new_assignee, comments)
    VALUES (p_task_id, v_task.process_instance_id, 'UNCLAIM', v_me, v_old.status, v_task.status, v_old.assignee_id, NULL, p_comment);
    PERFORM automation.idempotency_finish(p_idempotency_key, pg_catalog.to_jsonb(v_task));
    RETURN v_task;
END;
$$;

COMMENT ON FUNCTION flowable.unclaim_task(varchar, text, varchar) IS
    'The holder gives the task back: CLAIMED becomes OPEN (ESCALATED stays ESCALATED), unassigned. Errors: PW401, PW404, PW409 not held, PW403 held by someone else. One UNCLAIM history row. With p_idempotency_key, a repeat by the same user returns the first result, the key with other arguments is PW422.';

REVOKE ALL ON FUNCTION flowable.unclaim_task(varchar, text, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.unclaim_task(varchar, text, varchar) TO pgwf_app;
