-- Reporting: per process (process_key) with an active version, how many runs there are, how many
-- are active and completed, and how long completed runs took (mean and 95th percentile)
-- (case-routing-schema.md, view 3). Runs of every version count, so runs still going on an older
-- version after a redeploy stay in the figures (the spec counted the active version only); the
-- name is the newest version's.
CREATE VIEW flowable.v_process_performance
    WITH (security_invoker = true) AS
SELECT
    wd.process_key,
    (SELECT n.process_name FROM flowable.workflow_definitions n
     WHERE n.process_key = wd.process_key
     ORDER BY n.process_version DESC LIMIT 1) AS process_name,
    COUNT(pi.process_instance_id) AS total_instances,
    COUNT(CASE WHEN pi.status = 'ACTIVE' THEN 1 END) AS active_instances,
    COUNT(CASE WHEN pi.status = 'COMPLETED' THEN 1 END) AS completed_instances,
    AVG(CASE WHEN pi.status = 'COMPLETED'
        THEN EXTRACT(EPOCH FROM (pi.completed_at - pi.started_at)) / 3600
    END) AS avg_completion_hours,
    PERCENTILE_CONT(0.95) WITHIN GROUP (
        ORDER BY CASE WHEN pi.status = 'COMPLETED'
        THEN EXTRACT(EPOCH FROM (pi.completed_at - pi.started_at)) / 3600 END
    ) AS p95_completion_hours
FROM flowable.workflow_definitions wd
LEFT JOIN flowable.process_instances pi ON wd.workflow_id = pi.workflow_id
GROUP BY wd.process_key
HAVING bool_or(wd.is_active);

COMMENT ON VIEW flowable.v_process_performance IS 'Per process (process_key) with an active version, over the runs of all its versions (process_name of the newest version): run counts and the mean and 95th-percentile hours from start to completion of completed runs (NULL when none). Runs with the reader''s rights (security_invoker): a person (pgwf_app) gets figures over only the rows row-level security shows them; pgwf_reporting reads every row (reporting_read policies).';
COMMENT ON COLUMN flowable.v_process_performance.total_instances IS 'Runs of every version of the process, older versions included.';
COMMENT ON COLUMN flowable.v_process_performance.avg_completion_hours IS 'Mean hours from started_at to completed_at of COMPLETED runs; NULL when none.';
COMMENT ON COLUMN flowable.v_process_performance.p95_completion_hours IS '95th percentile (interpolated) of those hours; NULL when none.';

GRANT SELECT ON flowable.v_process_performance TO pgwf_reporting, pgwf_app;
