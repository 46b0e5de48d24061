-- Pauses a run as its starter or a workflow_admin (automation.engine_control_run); returns the
-- run's status afterwards. Called by the API and the CLI.
CREATE OR REPLACE FUNCTION automation.pause_workflow(p_instance_id uuid, p_reason text DEFAULT NULL)
RETURNS varchar
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN automation.engine_control_run(p_instance_id, 'pause', p_reason);
END;
$$;

COMMENT ON FUNCTION automation.pause_workflow(uuid, text) IS
    'Pauses the run (see automation.engine_control_run); returns its new status. PW401, PW403, PW404, PW409.';

REVOKE ALL ON FUNCTION automation.pause_workflow(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.pause_workflow(uuid, text) TO pgwf_app;
