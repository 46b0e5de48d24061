-- The one place where a run's status (automation.workflow_instances) maps to its business
-- record's status (flowable.process_instances). Used by sync_process_instance and reporting.
CREATE OR REPLACE FUNCTION automation.map_instance_status(p_status varchar)
RETURNS varchar
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    -- not STRICT, so the planner can inline it
    SELECT CASE p_status
        WHEN 'pending' THEN 'ACTIVE'
        WHEN 'running' THEN 'ACTIVE'
        WHEN 'paused' THEN 'SUSPENDED'
        WHEN 'completed' THEN 'COMPLETED'
        WHEN 'failed' THEN 'ERROR'
        WHEN 'cancelled' THEN 'TERMINATED'
    END::varchar;
$$;

COMMENT ON FUNCTION automation.map_instance_status(varchar) IS
    'workflow_instances.status -> process_instances.status: pending/running ACTIVE, paused SUSPENDED, completed COMPLETED, failed ERROR, cancelled TERMINATED.';

REVOKE ALL ON FUNCTION automation.map_instance_status(varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.map_instance_status(varchar) TO pgwf_app, pgwf_worker, pgwf_reporting;
