-- The delegate hands a delegated task back to its owner (Flowable's "resolve").
CREATE OR REPLACE FUNCTION flowable.resolve_task(p_task_id varchar, p_comment text DEFAULT NULL, p_form_data jsonb DEFAULT '{}')
RETURNS flowable.workflow_tasks
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_me varchar := flowable.acting_user('resolve_task');
    v_old flowable.workflow_tasks := flowable.lock_task(p_task_id, v_me, 'resolve_task');
    v_task flowable.workflow_tasks;
BEGIN
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
    RETURN v_task;
END;
$$;

COMMENT ON FUNCTION flowable.resolve_task(varchar, text, jsonb) IS
    'The delegate resolves a DELEGATED task: it goes back to its owner (claimed_by) as CLAIMED, with the delegate''s form data merged. Errors: PW401, PW404, PW409 not DELEGATED or the owner may no longer work (inactive, no role valid now: a supervisor reassigns it), PW403 not the delegate, PW400 form data not an object. One UPDATE history row with action_data {"resolved": true}.';

REVOKE ALL ON FUNCTION flowable.resolve_task(varchar, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.resolve_task(varchar, text, jsonb) TO pgwf_app;
