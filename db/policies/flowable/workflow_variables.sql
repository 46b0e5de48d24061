-- Who may read flowable.workflow_variables: variables of the runs and tasks the person may
-- see (the process_instances and workflow_tasks policies decide). Written through flowable.set_variable.
GRANT SELECT ON flowable.workflow_variables TO pgwf_app;

ALTER TABLE flowable.workflow_variables ENABLE ROW LEVEL SECURITY;
ALTER TABLE flowable.workflow_variables FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON flowable.workflow_variables
    TO pgwf_owner
    USING (true)
    WITH CHECK (true);

CREATE POLICY variable_access_policy ON flowable.workflow_variables
    FOR SELECT
    USING (
        CASE
            WHEN task_id IS NOT NULL THEN
                EXISTS (SELECT 1 FROM flowable.workflow_tasks t WHERE t.task_id = workflow_variables.task_id)
            ELSE
                EXISTS (SELECT 1 FROM flowable.process_instances p
                        WHERE p.process_instance_id = workflow_variables.process_instance_id)
        END
    );

COMMENT ON POLICY variable_access_policy ON flowable.workflow_variables IS
    'A person sees a task-scope variable when they may see its task, a process-scope one when they may see its run. No identity: no rows.';
COMMENT ON POLICY engine_all ON flowable.workflow_variables IS
    'The owner role (engine and task service functions) sees and writes every variable.';
