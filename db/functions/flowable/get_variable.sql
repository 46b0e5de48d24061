-- Read a variable as JSON: the task's own variable if it has one, else the run's (as task
-- services resolve names). Runs as the caller, so row-level security decides what is visible.
CREATE OR REPLACE FUNCTION flowable.get_variable(p_process_instance_id varchar, p_name varchar, p_task_id varchar DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN (SELECT w.variable_json
            FROM flowable.workflow_variables w
            WHERE w.variable_name = p_name
              AND ((p_task_id IS NOT NULL AND w.task_id = p_task_id
                    -- only a task of this run: a task id of another run finds nothing
                    AND EXISTS (SELECT 1 FROM flowable.workflow_tasks t
                                WHERE t.task_id = p_task_id
                                  AND (p_process_instance_id IS NULL OR t.process_instance_id = p_process_instance_id)))
                   OR (w.task_id IS NULL AND w.process_instance_id = p_process_instance_id))
            ORDER BY w.task_id IS NULL
            LIMIT 1);
END;
$$;

COMMENT ON FUNCTION flowable.get_variable(varchar, varchar, varchar) IS
    'The value (JSON) of a variable: the task-scope one when p_task_id (a task of this run) has it, else the process-scope one; NULL when missing or not visible to the caller (SECURITY INVOKER, under RLS). For people (pgwf_app); the engine reads workflow_variables as the owner.';

REVOKE ALL ON FUNCTION flowable.get_variable(varchar, varchar, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.get_variable(varchar, varchar, varchar) TO pgwf_app;
