-- The delegate hands a delegated task back to its owner (Flowable's "resolve"); with an
-- idempotency key, a repeat returns the first answer instead of PW409.
CREATE OR REPLACE FUNCTION flowable.resolve_task(p_task_id varchar, p_comment text DEFAULT NULL, p_form_data jsonb DEFAULT '{}',
                                                 p_idempotency_key varchar DEFAULT NULL)
RETURNS flowable.workflow_tasks
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_me varchar := flowable.acting_user('resolve_task');
    v_replay jsonb := automation.idempotency_begin(p_idempotency_key, 'resolve_task',
                                                   pg_catalog.jsonb_build_array(p_task_id, p_comment, p_form_data));
    v_old flowable.workflow_tasks;
    v_task flowable.workflow_tasks;
BEGIN
    IF v_replay IS NOT NULL THEN
        RETURN pg_catalog.jsonb_populate_record(NULL::flowable.workflow_tasks, v_replay);
    END IF;
    v_old := flowable.lock_task(p_task_id, v_me, 'resolve_task');
    IF v_old.status <> 'DELEGATED' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('resolve_task: task %s is %s, not DELEGATED', p_task_id, v_old.status);
    END IF;
    IF v_old.assignee_id <> v_me THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('resolve_task: task %s is delegated to %s, not %s', p_task_id, v_old.assignee_id, v_me);
    END IF;
    IF p_form_data IS NOT NULL AND pg_catalog.jsonb_typeof(p_form_data) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = format('resolve_task: form data of task %s must be a JSON object', p_task_id);
    END IF;
    IF NOT entitlements.has_valid_role(v_old.claimed_by) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('resolve_task: owner %s of task %s may no longer work (inactive, or no role valid now)',
                             v_old.claimed_by, p_task_id),
            HINT = 'A supervisor of the queue reassigns the task (reassign_task).';
    END IF;

    UPDATE flowable.workflow_tasks
    SET status = 'CLAIMED', assignee_id = claimed_by,
        form_data = COALESCE(form_data, '{}'::jsonb) || COALESCE(p_form_data, '{}'::jsonb)
    WHERE task_id = p_task_id
    RETURNING * INTO v_task;

    -- The spec's action types have no RESOLVE: it is an UPDATE of the assignment, marked in action_data.
    INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by,
                                       old_status, new_status, old_assignee, new_assignee, comments, action_data)
    VALUES (p_task_id, v_task.process_instance_id, 'UPDATE', v_me, 'DELEGATED', 'CLAIMED', v_me, v_task.assignee_id, p_comment,
            '{"resolved": true}'::jsonb);
    PERFORM automation.idempotency_finish(p_idempotency_key, pg_catalog.to_jsonb(v_task));
    RETURN v_task;
END;
$$;

COMMENT ON FUNCTION flowable.resolve_task(varchar, text, jsonb, varchar) IS
    'The delegate resolves a DELEGATED task: it goes back to its owner (claimed_by) as CLAIMED, with the delegate''s form data merged. Errors: PW401, PW404, PW409 not DELEGATED or the owner may no longer work (inactive, no role valid now: a supervisor reassigns it), PW403 not the delegate, PW400 form data not an object. One UPDATE history row with action_data {"resolved": true}. With p_idempotency_key, a repeat by the same user returns the first result, the key with other arguments is PW422.';

REVOKE ALL ON FUNCTION flowable.resolve_task(varchar, text, jsonb, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.resolve_task(varchar, text, jsonb, varchar) TO pgwf_app;
