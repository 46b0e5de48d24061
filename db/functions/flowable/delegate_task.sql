-- Delegate a held task to another user, who works on it and resolves it back to the owner
-- (flowable.resolve_task); the owner stays in claimed_by. With an idempotency key, a repeat
-- returns the first answer instead of PW409.
CREATE OR REPLACE FUNCTION flowable.delegate_task(p_task_id varchar, p_delegate_id varchar, p_comment text DEFAULT NULL,
                                                  p_idempotency_key varchar DEFAULT NULL)
RETURNS flowable.workflow_tasks
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_me varchar := flowable.acting_user('delegate_task');
    v_replay jsonb := automation.idempotency_begin(p_idempotency_key, 'delegate_task',
                                                   pg_catalog.jsonb_build_array(p_task_id, p_delegate_id, p_comment));
    v_old flowable.workflow_tasks;
    v_task flowable.workflow_tasks;
BEGIN
    IF v_replay IS NOT NULL THEN
        RETURN pg_catalog.jsonb_populate_record(NULL::flowable.workflow_tasks, v_replay);
    END IF;
    v_old := flowable.lock_task(p_task_id, v_me, 'delegate_task');
    IF v_old.status NOT IN ('CLAIMED', 'ESCALATED') OR v_old.assignee_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('delegate_task: task %s is %s and cannot be delegated', p_task_id, v_old.status);
    END IF;
    IF v_old.assignee_id <> v_me THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('delegate_task: task %s is held by %s, not %s', p_task_id, v_old.assignee_id, v_me);
    END IF;
    IF p_delegate_id IS NULL OR p_delegate_id = v_me THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = format('delegate_task: task %s needs a delegate other than its holder', p_task_id);
    END IF;
    IF NOT entitlements.has_valid_role(p_delegate_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404',
            MESSAGE = format('delegate_task: delegate %s is not an active user with a role valid now', p_delegate_id);
    END IF;
    -- an inactive queue hands out no work: its holder completes the task or gives it back
    IF NOT EXISTS (SELECT 1 FROM flowable.workflow_queues q WHERE q.queue_name = v_old.queue_name AND q.is_active IS TRUE) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('delegate_task: queue %s of task %s is inactive and hands out no work', v_old.queue_name, p_task_id);
    END IF;

    UPDATE flowable.workflow_tasks
    SET status = 'DELEGATED', assignee_id = p_delegate_id, claimed_by = v_me
    WHERE task_id = p_task_id
    RETURNING * INTO v_task;

    INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by,
                                       old_status, new_status, old_assignee, new_assignee, delegate_to, comments)
    VALUES (p_task_id, v_task.process_instance_id, 'DELEGATE', v_me, v_old.status, 'DELEGATED', v_me, p_delegate_id, p_delegate_id, p_comment);
    PERFORM automation.idempotency_finish(p_idempotency_key, pg_catalog.to_jsonb(v_task));
    RETURN v_task;
END;
$$;

COMMENT ON FUNCTION flowable.delegate_task(varchar, varchar, text, varchar) IS
    'The holder delegates the task to another active user holding a role valid now: status DELEGATED, assignee_id the delegate, claimed_by the owner. The delegate resolves it back with resolve_task; nobody completes a DELEGATED task. Errors: PW401, PW404 (task or delegate), PW409 not held or its queue inactive, PW403 held by someone else, PW400 no or same delegate. One DELEGATE history row. With p_idempotency_key, a repeat by the same user returns the first result, the key with other arguments is PW422.';

REVOKE ALL ON FUNCTION flowable.delegate_task(varchar, varchar, text, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.delegate_task(varchar, varchar, text, varchar) TO pgwf_app;
