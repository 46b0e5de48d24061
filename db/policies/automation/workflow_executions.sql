-- Grants and row-level security of automation.workflow_executions.
-- A person sees the steps of the runs they may see (automation.can_see_instance), except a
-- user-task step, whose input and form data they see only when they may see its queue task;
-- changes go through the engine's functions only.
GRANT SELECT ON automation.workflow_executions TO pgwf_app;
-- the reporting role reads what the reporting views need, not the payload (input_data, output_data and error_message)
GRANT SELECT (id, instance_id, node_id, step_type, status, started_at, completed_at, duration_ms, retry_count, max_retries, created_at, updated_at, incoming_edge_id, worker_id, lease_expires_at, next_attempt_at, lease_expiries) ON automation.workflow_executions TO pgwf_reporting;

ALTER TABLE automation.workflow_executions ENABLE ROW LEVEL SECURITY;
ALTER TABLE automation.workflow_executions FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON automation.workflow_executions TO pgwf_owner USING (true) WITH CHECK (true);
CREATE POLICY person_read ON automation.workflow_executions FOR SELECT TO pgwf_app
    USING (
        automation.can_see_instance(instance_id)
        AND (step_type = 'approval' OR input_data ->> 'task_id' IS NULL
             OR EXISTS (SELECT 1 FROM flowable.workflow_tasks t WHERE t.task_id = workflow_executions.input_data ->> 'task_id'))
    );
COMMENT ON POLICY person_read ON automation.workflow_executions IS
    'A person sees the steps of a run they may see (automation.can_see_instance); a step that made a queue task (other than an approval''s) only when the workflow_tasks policy lets them see that task, so its form data is no easier to read here than there.';

-- Reporting tools read every row: the reporting views run with the reader's rights (security_invoker).
CREATE POLICY reporting_read ON automation.workflow_executions
    FOR SELECT
    TO pgwf_reporting
    USING (true);
COMMENT ON POLICY reporting_read ON automation.workflow_executions IS
    'pgwf_reporting reads every row (the reporting views run with the reader''s rights, so reports see all figures while a person sees only theirs).';
