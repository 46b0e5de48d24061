-- Reporting: per active process definition, how many runs there are, how many are active and
-- completed, and how long completed runs took (mean and 95th percentile) (case-routing-schema.md, view 3).
CREATE VIEW flowable.v_process_performance AS
SELECT
    wd.process_key,
    wd.process_name,
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
WHERE wd.is_active = TRUE
GROUP BY wd.process_key, wd.process_name;

COMMENT ON VIEW flowable.v_process_performance IS 'Per active process definition (process_key, process_name): run counts and the mean and 95th-percentile hours from start to completion of completed runs (NULL when none).';
COMMENT ON COLUMN flowable.v_process_performance.total_instances IS 'Runs of the active definition versions.';
COMMENT ON COLUMN flowable.v_process_performance.avg_completion_hours IS 'Mean hours from started_at to completed_at of COMPLETED runs; NULL when none.';
COMMENT ON COLUMN flowable.v_process_performance.p95_completion_hours IS '95th percentile (interpolated) of those hours; NULL when none.';

GRANT SELECT ON flowable.v_process_performance TO pgwf_reporting, pgwf_app;
