-- Retries a failed run from the step it failed at, as its starter or a workflow_admin
-- (automation.engine_control_run); returns the run's status afterwards. Called by the CLI
-- (pgwf run retry) and the API (POST /runs/{id}/retry).
CREATE OR REPLACE FUNCTION automation.retry_workflow(p_instance_id uuid, p_reason text DEFAULT NULL)
RETURNS varchar
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN automation.engine_control_run(p_instance_id, 'retry', p_reason);
END;
$$;

COMMENT ON FUNCTION automation.retry_workflow(uuid, text) IS
    'Runs a failed run again from the top-level step whose failure failed it (a worker step that failed for good, a call step whose called run failed): the run is running again and the step''s node is visited as a new step (see automation.engine_control_run); returns its new status. PW401, PW403, PW404, PW409.';

REVOKE ALL ON FUNCTION automation.retry_workflow(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.retry_workflow(uuid, text) TO pgwf_app;
