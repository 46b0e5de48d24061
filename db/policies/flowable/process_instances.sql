-- Who may read flowable.process_instances: the starter of the run, and whoever may see
-- one of its tasks. Written by the engine functions only.
GRANT SELECT ON flowable.process_instances TO pgwf_app;
-- the reporting role reads what the reporting views need, not the payload (variables, context_data and metadata)
GRANT SELECT (process_instance_id, workflow_id, case_id, business_key, parent_process_id, super_process_id, started_by, started_at, completed_at, suspended_at, status, current_activity, sla_due_date, priority, tags) ON flowable.process_instances TO pgwf_reporting;

ALTER TABLE flowable.process_instances ENABLE ROW LEVEL SECURITY;
ALTER TABLE flowable.process_instances FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON flowable.process_instances
    TO pgwf_owner
    USING (true)
    WITH CHECK (true);

CREATE POLICY process_access_policy ON flowable.process_instances
    FOR SELECT
    USING (
        started_by = (SELECT entitlements.current_active_user_id())
        OR EXISTS (
            SELECT 1 FROM flowable.workflow_tasks t
            WHERE t.process_instance_id = process_instances.process_instance_id
        )
    );

COMMENT ON POLICY process_access_policy ON flowable.process_instances IS
    'An active person sees the runs they started and the runs with a task they may see (task_access_policy; supervisors through their department''s queues). No identity, or a deactivated user: no rows.';
COMMENT ON POLICY engine_all ON flowable.process_instances IS
    'The owner role (engine and task service functions) sees and writes every run.';

-- Reporting tools read every row: the reporting views run with the reader's rights (security_invoker).
CREATE POLICY reporting_read ON flowable.process_instances
    FOR SELECT
    TO pgwf_reporting
    USING (true);
COMMENT ON POLICY reporting_read ON flowable.process_instances IS
    'pgwf_reporting reads every row (the reporting views run with the reader''s rights, so reports see all figures while a person sees only theirs).';
