-- Who may read flowable.task_history: the history of tasks the person may see
-- (the workflow_tasks policy decides). Written only by the task service.
GRANT SELECT ON flowable.task_history TO pgwf_app;

ALTER TABLE flowable.task_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE flowable.task_history FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON flowable.task_history
    TO pgwf_owner
    USING (true)
    WITH CHECK (true);

CREATE POLICY task_history_access_policy ON flowable.task_history
    FOR SELECT
    USING (
        EXISTS (SELECT 1 FROM flowable.workflow_tasks t WHERE t.task_id = task_history.task_id)
    );

COMMENT ON POLICY task_history_access_policy ON flowable.task_history IS
    'A person sees the history of the tasks they may see (the subquery runs under task_access_policy of workflow_tasks). No identity: no rows.';
COMMENT ON POLICY engine_all ON flowable.task_history IS
    'The owner role (task service, reporting views) sees and writes every history row.';
