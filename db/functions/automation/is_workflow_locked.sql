-- Whether a workflow version is immutable: it has been deployed (a flowable.workflow_definitions
-- row points at it through deployment_id) or a run has started on it. Used by save_workflow.
CREATE OR REPLACE FUNCTION automation.is_workflow_locked(p_workflow_id uuid)
RETURNS boolean
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM flowable.workflow_definitions d WHERE d.deployment_id = p_workflow_id::text)
        OR EXISTS (SELECT 1 FROM automation.workflow_instances wi WHERE wi.workflow_id = p_workflow_id);
END;
$$;

COMMENT ON FUNCTION automation.is_workflow_locked(uuid) IS
    'true when the workflow version is deployed or has runs: it is immutable, and saving it makes a new version.';

REVOKE ALL ON FUNCTION automation.is_workflow_locked(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.is_workflow_locked(uuid) TO pgwf_app;
