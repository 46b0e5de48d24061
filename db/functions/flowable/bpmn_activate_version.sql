-- Marks one deployed version of a process as the one new starts use
-- (is_active), and every other version of that process key inactive. Running
-- instances stay on their own version. Called by deploy_process and the API.
CREATE OR REPLACE FUNCTION flowable.bpmn_activate_version(p_process_key varchar, p_process_version integer)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_definition_id bigint;
BEGIN
    PERFORM automation.require_workflow_admin('activate a process version');
    SELECT d.workflow_id INTO v_definition_id FROM flowable.workflow_definitions d
    WHERE d.process_key = p_process_key AND d.process_version = p_process_version;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404',
            MESSAGE = format('process %s has no version %s', p_process_key, p_process_version);
    END IF;
    UPDATE flowable.workflow_definitions d
    SET is_active = (d.process_version = p_process_version)
    WHERE d.process_key = p_process_key
      AND d.is_active IS DISTINCT FROM (d.process_version = p_process_version);
    -- the active version's timer start events are the ones scheduled
    PERFORM automation.engine_schedule_timer_starts(d.deployment_id::uuid)
    FROM flowable.workflow_definitions d
    WHERE d.workflow_id = v_definition_id
      AND d.deployment_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
    RETURN v_definition_id;
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_activate_version(varchar, integer) IS
    'Makes this version of the process the one new starts use (is_active) and the others inactive, and schedules its timer start events instead of theirs; returns its definition id. PW404 for an unknown version; PW401 without an identity, PW403 unless the user holds workflow_admin.';

REVOKE ALL ON FUNCTION flowable.bpmn_activate_version(varchar, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.bpmn_activate_version(varchar, integer) TO pgwf_app;
