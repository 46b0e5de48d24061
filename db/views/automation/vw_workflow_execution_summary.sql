-- Reporting view: one row per run with its step counts. Read by reporting tools (pgwf_reporting).
CREATE VIEW automation.vw_workflow_execution_summary
    WITH (security_invoker = true) AS
SELECT
    wi.id AS instance_id,
    w.name AS workflow_name,
    w.category,
    wi.status,
    wi.priority,
    wi.started_at,
    wi.completed_at,
    wi.progress,
    wi.triggered_by,
    wi.trigger_source,
    COUNT(we.id) AS total_steps,
    COUNT(CASE WHEN we.status = 'completed' THEN 1 END) AS completed_steps,
    COUNT(CASE WHEN we.status = 'failed' THEN 1 END) AS failed_steps,
    COUNT(CASE WHEN we.status = 'waiting_approval' THEN 1 END) AS pending_approvals,
    AVG(we.duration_ms) AS avg_step_duration_ms
FROM automation.workflow_instances wi
LEFT JOIN automation.workflows w ON wi.workflow_id = w.id
LEFT JOIN automation.workflow_executions we ON wi.id = we.instance_id
GROUP BY wi.id, w.name, w.category, wi.status, wi.priority, wi.started_at, wi.completed_at,
         wi.progress, wi.triggered_by, wi.trigger_source;

COMMENT ON VIEW automation.vw_workflow_execution_summary IS
    'One row per workflow run: its workflow, status, progress and counts of its steps (executions) by status. Runs with the reader''s rights (security_invoker): a person (pgwf_app) gets figures over only the rows row-level security shows them; pgwf_reporting reads every row (reporting_read policies).';
COMMENT ON COLUMN automation.vw_workflow_execution_summary.total_steps IS 'Number of step executions of the run (every visit, skipped ones included).';
COMMENT ON COLUMN automation.vw_workflow_execution_summary.completed_steps IS 'Step executions with status completed.';
COMMENT ON COLUMN automation.vw_workflow_execution_summary.failed_steps IS 'Step executions with status failed.';
COMMENT ON COLUMN automation.vw_workflow_execution_summary.pending_approvals IS 'Step executions waiting for an approval decision.';
COMMENT ON COLUMN automation.vw_workflow_execution_summary.avg_step_duration_ms IS 'Average duration_ms of the steps that have one.';

GRANT SELECT ON automation.vw_workflow_execution_summary TO pgwf_reporting, pgwf_app;
