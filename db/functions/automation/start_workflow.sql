-- Starts a run by hand, as the person in app.current_user_id (triggered_by, trigger_source
-- 'manual'), with input and priority; returns the run id (also the process instance id).
-- With an idempotency key, a repeat returns the first run's id instead of starting another.
-- Called by the API and the CLI.
CREATE OR REPLACE FUNCTION automation.start_workflow(
    p_workflow_id uuid,
    p_input jsonb DEFAULT '{}'::jsonb,
    p_priority varchar DEFAULT 'normal',
    p_business_key varchar DEFAULT NULL,
    p_idempotency_key varchar DEFAULT NULL
)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_user varchar;
    v_replay jsonb;
    v_run uuid;
BEGIN
    v_user := entitlements.require_active_user('start_workflow');
    IF p_workflow_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_workflow_id is required';
    END IF;
    v_replay := automation.idempotency_begin(p_idempotency_key, 'start_workflow',
        jsonb_build_array(p_workflow_id, p_input, p_priority, p_business_key));
    IF v_replay IS NOT NULL THEN
        RETURN (v_replay #>> '{}')::uuid;
    END IF;
    PERFORM automation.require_starter(p_workflow_id, v_user, format('workflow %s', p_workflow_id));
    v_run := automation.engine_start_run(p_workflow_id, p_input, p_priority, v_user, 'manual', p_business_key);
    PERFORM automation.idempotency_finish(p_idempotency_key, to_jsonb(v_run));
    RETURN v_run;
END;
$$;

COMMENT ON FUNCTION automation.start_workflow(uuid, jsonb, varchar, varchar, varchar) IS
    'Starts a manual run of a deployed workflow version as the current user and advances it as far as it goes without waiting; returns the run id. PW401 no identity, PW403 unknown or inactive user or not one of the version''s starters (automation.require_starter), PW400, PW404, PW409 (not deployed). With p_idempotency_key, a repeat by the same user returns the first run''s id and starts nothing, the key with other arguments is PW422.';

REVOKE ALL ON FUNCTION automation.start_workflow(uuid, jsonb, varchar, varchar, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.start_workflow(uuid, jsonb, varchar, varchar, varchar) TO pgwf_app;
