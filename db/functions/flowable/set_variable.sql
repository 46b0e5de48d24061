-- A person sets a typed process or task variable while working on the task (the task form's "save").
CREATE OR REPLACE FUNCTION flowable.set_variable(
    p_process_instance_id varchar,
    p_name varchar,
    p_type varchar,
    p_value jsonb,
    p_task_id varchar DEFAULT NULL
) RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_me varchar := flowable.acting_user('set_variable');
BEGIN
    -- A person writes variables of a run only while holding one of its unfinished tasks
    -- (that task, for a task variable), or as a supervisor of that task's queue.
    IF NOT EXISTS (
        SELECT 1 FROM flowable.workflow_tasks t
        WHERE t.process_instance_id = p_process_instance_id
          AND (p_task_id IS NULL OR t.task_id = p_task_id)
          AND t.status IN ('CLAIMED', 'DELEGATED', 'ESCALATED', 'OPEN')
          AND (t.assignee_id = v_me OR flowable.is_queue_supervisor(v_me, t.queue_name))
    ) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('set_variable: user %s holds no unfinished task of process %s%s', v_me,
                             COALESCE(p_process_instance_id, 'NULL'), COALESCE(' (task ' || p_task_id || ')', '')),
            HINT = 'Claim the task first.';
    END IF;
    RETURN flowable.write_variable(p_process_instance_id, p_task_id, p_name, p_type, p_value, v_me);
END;
$$;

COMMENT ON FUNCTION flowable.set_variable(varchar, varchar, varchar, jsonb, varchar) IS
    'The current user sets a typed variable of a run (or of one of its tasks) they hold an unfinished task of, or supervise. Checks the type like write_variable. Errors: PW401, PW403 not holding, PW400/PW404/PW422 from write_variable.';

REVOKE ALL ON FUNCTION flowable.set_variable(varchar, varchar, varchar, jsonb, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.set_variable(varchar, varchar, varchar, jsonb, varchar) TO pgwf_app;
