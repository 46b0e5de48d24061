-- The workflow version a trigger starts now: the active deployed version of the model the
-- trigger's workflow belongs to (a trigger keeps working when a new version is deployed).
-- Used by fire_due_schedules, publish_event and receive_webhook.
CREATE OR REPLACE FUNCTION automation.trigger_target_version(p_workflow_id uuid)
RETURNS uuid
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN (
        WITH key AS (
            SELECT COALESCE(
                (SELECT d.process_key FROM flowable.workflow_definitions d WHERE d.deployment_id = p_workflow_id::text),
                (SELECT w.workflow_key FROM automation.workflows w WHERE w.id = p_workflow_id)) AS k
        )
        SELECT d.deployment_id::uuid
        FROM flowable.workflow_definitions d, key
        WHERE d.process_key = key.k AND d.deployment_id ~ '^[0-9a-f-]{36}$'
        ORDER BY d.is_active DESC NULLS LAST, d.process_version DESC
        LIMIT 1);
END;
$$;

COMMENT ON FUNCTION automation.trigger_target_version(uuid) IS
    'The deployed workflow version a trigger of this workflow starts: the active (else newest) deployed version of its process key; NULL when none is deployed.';

REVOKE ALL ON FUNCTION automation.trigger_target_version(uuid) FROM PUBLIC;
