-- Reporting view: per active workflow version, how its runs went. Read by reporting tools.
CREATE VIEW automation.vw_workflow_performance
    WITH (security_invoker = true) AS
SELECT
    w.id AS workflow_id,
    w.name AS workflow_name,
    w.category,
    COUNT(wi.id) AS total_executions,
    COUNT(CASE WHEN wi.status = 'completed' THEN 1 END) AS successful_executions,
    COUNT(CASE WHEN wi.status = 'failed' THEN 1 END) AS failed_executions,
    ROUND(
        (COUNT(CASE WHEN wi.status = 'completed' THEN 1 END)::DECIMAL / NULLIF(COUNT(wi.id), 0)) * 100, 2
    ) AS success_rate_percent,
    AVG(EXTRACT(EPOCH FROM (wi.completed_at - wi.started_at))) AS avg_duration_seconds,
    MIN(wi.started_at) AS first_execution,
    MAX(wi.started_at) AS last_execution
FROM automation.workflows w
LEFT JOIN automation.workflow_instances wi ON w.id = wi.workflow_id
WHERE w.is_active = true
GROUP BY w.id, w.name, w.category;

COMMENT ON VIEW automation.vw_workflow_performance IS
    'One row per active workflow version: how many runs it had, how many completed and failed, the success rate and durations. Runs with the reader''s rights (security_invoker): a person (pgwf_app) gets figures over only the rows row-level security shows them; pgwf_reporting reads every row (reporting_read policies).';
COMMENT ON COLUMN automation.vw_workflow_performance.total_executions IS 'Number of runs of the workflow version.';
COMMENT ON COLUMN automation.vw_workflow_performance.successful_executions IS 'Runs with status completed.';
COMMENT ON COLUMN automation.vw_workflow_performance.failed_executions IS 'Runs with status failed.';
COMMENT ON COLUMN automation.vw_workflow_performance.success_rate_percent IS 'completed / all runs * 100, two decimals; NULL for a workflow without runs.';
COMMENT ON COLUMN automation.vw_workflow_performance.avg_duration_seconds IS 'Average seconds from start to completion of the runs that finished (completed, failed or cancelled).';
COMMENT ON COLUMN automation.vw_workflow_performance.first_execution IS 'Start of the first run.';
COMMENT ON COLUMN automation.vw_workflow_performance.last_execution IS 'Start of the latest run.';

GRANT SELECT ON automation.vw_workflow_performance TO pgwf_reporting, pgwf_app;
