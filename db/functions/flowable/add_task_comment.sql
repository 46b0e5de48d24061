-- Add a comment to a task's history (anyone who may see the task); returns the history row id.
CREATE OR REPLACE FUNCTION flowable.add_task_comment(p_task_id varchar, p_comment text)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_me varchar := flowable.acting_user('add_task_comment');
    v_task flowable.workflow_tasks;
    v_history_id bigint;
BEGIN
    IF p_comment IS NULL OR pg_catalog.btrim(p_comment) = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = format('add_task_comment: the comment on task %s is empty', COALESCE(p_task_id, 'NULL'));
    END IF;
    IF length(p_comment) > automation.model_limit('comment_chars') THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('add_task_comment: the comment on task %s is %s characters; the limit comment_chars is %s',
                             p_task_id, length(p_comment), automation.model_limit('comment_chars'));
    END IF;
    -- Read, not locked: a comment changes no task, so it never waits behind a claim or a
    -- completion in progress (it records the status and assignee committed when it was made).
    v_task := flowable.lock_task(p_task_id, v_me, 'add_task_comment', false);

    INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by,
                                       old_status, new_status, old_assignee, new_assignee, comments)
    VALUES (p_task_id, v_task.process_instance_id, 'COMMENT', v_me, v_task.status, v_task.status,
            v_task.assignee_id, v_task.assignee_id, p_comment)
    RETURNING history_id INTO v_history_id;
    RETURN v_history_id;
END;
$$;

COMMENT ON FUNCTION flowable.add_task_comment(varchar, text) IS
    'Adds a COMMENT history row (status and assignee unchanged, recorded as both old and new, as last committed) to a task the current user may see, without locking the task (it never waits behind a state change in progress). Errors: PW401, PW404, PW400 empty comment, PW422 over model_limit(''comment_chars'') (10000) characters.';

REVOKE ALL ON FUNCTION flowable.add_task_comment(varchar, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.add_task_comment(varchar, text) TO pgwf_app;
