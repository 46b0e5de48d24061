-- Deletes one deployed version of a process, refusing while instances of it
-- run (or while finished instances still refer to it). Its workflows graph goes
-- too when nothing else uses it; when it was the active version, the newest
-- remaining one becomes active. Called by the API and operators.
CREATE OR REPLACE FUNCTION flowable.bpmn_delete_version(p_process_key varchar, p_process_version integer)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_def flowable.workflow_definitions;
    v_running integer;
    v_finished integer;
    v_newest integer;
BEGIN
    PERFORM automation.require_workflow_admin('delete a process version');
    SELECT * INTO v_def FROM flowable.workflow_definitions d
    WHERE d.process_key = p_process_key AND d.process_version = p_process_version
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404',
            MESSAGE = format('process %s has no version %s', p_process_key, p_process_version);
    END IF;

    SELECT count(*) FILTER (WHERE p.status NOT IN ('COMPLETED', 'TERMINATED')),
           count(*) FILTER (WHERE p.status IN ('COMPLETED', 'TERMINATED'))
    INTO v_running, v_finished
    FROM flowable.process_instances p WHERE p.workflow_id = v_def.workflow_id;
    IF v_running > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('process %s version %s has %s running instances and cannot be deleted',
                             p_process_key, p_process_version, v_running),
            HINT = 'let them finish or terminate them first; activate another version for new starts';
    END IF;
    IF v_finished > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('process %s version %s has %s finished instances whose history refers to it',
                             p_process_key, p_process_version, v_finished),
            HINT = 'deactivate it instead (activate another version)';
    END IF;

    DELETE FROM flowable.workflow_definitions d WHERE d.workflow_id = v_def.workflow_id;
    IF v_def.deployment_id ~ '^[0-9a-f-]{36}$'
       AND NOT EXISTS (SELECT 1 FROM flowable.workflow_definitions d WHERE d.deployment_id = v_def.deployment_id)
       AND NOT EXISTS (SELECT 1 FROM automation.workflow_instances wi WHERE wi.workflow_id = v_def.deployment_id::uuid) THEN
        DELETE FROM automation.workflows w WHERE w.id = v_def.deployment_id::uuid;
    END IF;

    IF v_def.is_active THEN
        SELECT max(d.process_version) INTO v_newest FROM flowable.workflow_definitions d WHERE d.process_key = p_process_key;
        IF v_newest IS NOT NULL THEN
            PERFORM flowable.bpmn_activate_version(p_process_key, v_newest);
        END IF;
    END IF;
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_delete_version(varchar, integer) IS
    'Deletes a deployed process version and its unused graph; PW409 while instances of it run or finished ones refer to it, PW404 for an unknown version, PW401 without an identity, PW403 unless the user holds workflow_admin. The newest remaining version becomes active if the deleted one was.';

REVOKE ALL ON FUNCTION flowable.bpmn_delete_version(varchar, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.bpmn_delete_version(varchar, integer) TO pgwf_app;
