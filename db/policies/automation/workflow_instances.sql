-- Grants and row-level security of automation.workflow_instances.
-- A person sees the runs they started and the runs whose approvals they decide
-- (automation.can_see_instance); changes go through the engine's functions only.
GRANT SELECT ON automation.workflow_instances TO pgwf_app;
-- the reporting role reads what the reporting views need, not the payload (execution_context, output_data, error_details, engine_state and client_info)
GRANT SELECT (id, workflow_id, status, priority, started_at, completed_at, paused_at, progress, current_step, triggered_by, trigger_source, execution_metrics, created_at, updated_at, parent_instance_id, parent_execution_id) ON automation.workflow_instances TO pgwf_reporting;

ALTER TABLE automation.workflow_instances ENABLE ROW LEVEL SECURITY;
ALTER TABLE automation.workflow_instances FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON automation.workflow_instances TO pgwf_owner USING (true) WITH CHECK (true);
CREATE POLICY person_read ON automation.workflow_instances FOR SELECT TO pgwf_app
    USING (automation.can_see_instance(id));

-- Reporting tools read every row: the reporting views run with the reader's rights (security_invoker).
CREATE POLICY reporting_read ON automation.workflow_instances
    FOR SELECT
    TO pgwf_reporting
    USING (true);
COMMENT ON POLICY reporting_read ON automation.workflow_instances IS
    'pgwf_reporting reads every row (the reporting views run with the reader''s rights, so reports see all figures while a person sees only theirs).';
