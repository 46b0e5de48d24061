-- Pause, resume or cancel a run as the person in app.current_user_id: the person who started it
-- or a holder of the workflow_admin role. Recorded in engine_state.events (who, when, why).
-- Called by pause_workflow, resume_workflow and cancel_workflow.
CREATE OR REPLACE FUNCTION automation.engine_control_run(p_instance_id uuid, p_action varchar, p_reason text)
RETURNS varchar
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_user varchar;
    v_run automation.workflow_instances;
    v_to varchar;
BEGIN
    v_user := entitlements.require_active_user(p_action);
    SELECT * INTO v_run FROM automation.workflow_instances WHERE id = p_instance_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404', MESSAGE = format('run %s does not exist', p_instance_id);
    END IF;
    -- the starter, while still an active user (a deactivated one can do nothing), or a workflow_admin
    IF NOT ((v_run.triggered_by = v_user
             AND EXISTS (SELECT 1 FROM entitlements.users u WHERE u.user_id = v_user AND u.is_active IS TRUE))
            OR automation.user_holds_role(v_user, 'workflow_admin')) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('user %s may not %s run %s: only the person who started it (while an active user) or a workflow_admin may',
                             v_user, p_action, p_instance_id);
    END IF;
    v_to := CASE
        WHEN p_action = 'pause' AND v_run.status IN ('pending', 'running') THEN 'paused'
        WHEN p_action = 'resume' AND v_run.status = 'paused' THEN 'running'
        WHEN p_action = 'cancel' AND v_run.status IN ('pending', 'running', 'paused') THEN 'cancelled'
    END;
    IF v_to IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('run %s is %s and cannot be %s', p_instance_id, v_run.status,
                             CASE p_action WHEN 'pause' THEN 'paused' WHEN 'resume' THEN 'resumed' ELSE 'cancelled' END);
    END IF;

    UPDATE automation.workflow_instances
    SET status = v_to,
        error_details = CASE WHEN v_to = 'cancelled' THEN COALESCE(p_reason, 'cancelled by ' || v_user) ELSE error_details END,
        execution_metrics = CASE WHEN v_to = 'cancelled' THEN automation.engine_run_metrics(p_instance_id) ELSE execution_metrics END,
        engine_state = jsonb_set(engine_state, '{events}',
            COALESCE(engine_state -> 'events', '[]'::jsonb)
            || jsonb_build_array(jsonb_build_object('action', p_action, 'by', v_user, 'at', clock_timestamp(), 'reason', p_reason)))
    WHERE id = p_instance_id;

    IF v_to = 'cancelled' THEN
        PERFORM automation.engine_close_open_work(p_instance_id, format('run cancelled by %s%s', v_user, COALESCE(': ' || p_reason, '')));
        -- a child run of a call activity: its caller learns of it
        IF v_run.parent_instance_id IS NOT NULL THEN
            PERFORM automation.engine_call_ended(p_instance_id);
        END IF;
    ELSIF v_to = 'running' THEN
        PERFORM automation.engine_advance(p_instance_id);
    END IF;
    RETURN (SELECT status FROM automation.workflow_instances WHERE id = p_instance_id);
END;
$$;

COMMENT ON FUNCTION automation.engine_control_run(uuid, varchar, text) IS
    'Pauses (running -> paused), resumes (paused -> running, then advances) or cancels (-> cancelled, open steps, approvals and tasks closed) a run as its starter (an active user) or a workflow_admin; recorded in engine_state.events. PW401, PW403, PW404, PW409.';

REVOKE ALL ON FUNCTION automation.engine_control_run(uuid, varchar, text) FROM PUBLIC;
