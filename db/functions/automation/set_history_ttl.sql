-- Sets the history time-to-live of every version of a model: automation.workflows rows with
-- workflow_key p_workflow_key and flowable.workflow_definitions rows with that process_key (a
-- BPMN process id or an automation workflow's key). Called by `pgwf` operators and the API.
CREATE OR REPLACE FUNCTION automation.set_history_ttl(p_workflow_key varchar, p_days integer)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_versions integer;
    v_definitions integer;
BEGIN
    PERFORM automation.require_workflow_admin('set the history time-to-live');
    IF p_days IS NOT NULL AND p_days NOT BETWEEN 0 AND 36500 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = format('history time-to-live must be 0 to 36500 days or NULL (the default), not %s', p_days);
    END IF;
    UPDATE automation.workflows w SET history_ttl_days = p_days
    WHERE w.workflow_key = p_workflow_key AND w.history_ttl_days IS DISTINCT FROM p_days;
    SELECT count(*) INTO v_versions FROM automation.workflows w WHERE w.workflow_key = p_workflow_key;
    UPDATE flowable.workflow_definitions d SET history_ttl_days = p_days
    WHERE d.process_key = p_workflow_key AND d.history_ttl_days IS DISTINCT FROM p_days;
    SELECT count(*) INTO v_definitions FROM flowable.workflow_definitions d WHERE d.process_key = p_workflow_key;
    IF v_versions + v_definitions = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404', MESSAGE = format('no workflow or process with key %s', p_workflow_key);
    END IF;
    RETURN greatest(v_versions, v_definitions);
END;
$$;

COMMENT ON FUNCTION automation.set_history_ttl(varchar, integer) IS
    'Sets history_ttl_days of every version of the model p_workflow_key (automation.workflows by workflow_key, flowable.workflow_definitions by process_key) to p_days (0..36500, NULL: the setting pgwf.history_ttl_days; PW400 otherwise); returns the number of versions. Needs workflow_admin (PW401, PW403); PW404 for an unknown key.';

REVOKE ALL ON FUNCTION automation.set_history_ttl(varchar, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.set_history_ttl(varchar, integer) TO pgwf_app;
