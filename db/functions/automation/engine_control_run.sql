-- Pause, resume, cancel or retry a run as the person in app.current_user_id: the person who
-- started it or a holder of the workflow_admin role. Recorded in engine_state.events (who, when,
-- why). Called by pause_workflow, resume_workflow, cancel_workflow and retry_workflow.
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
    v_step automation.workflow_executions;
    v_others text;
    v_problem text;
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
        WHEN p_action = 'retry' AND v_run.status = 'failed' THEN 'running'
    END;
    IF v_to IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('run %s is %s and cannot be %s', p_instance_id, v_run.status,
                             CASE p_action WHEN 'pause' THEN 'paused' WHEN 'resume' THEN 'resumed'
                                           WHEN 'retry' THEN 'retried (only a failed run can)' ELSE 'cancelled' END);
    END IF;
    IF p_action = 'retry' THEN
        -- the step whose failure failed the run: a worker step names itself in the run's error
        -- (fail_step), a call step its node (engine_call_failed)
        SELECT e.* INTO v_step FROM automation.workflow_executions e
        WHERE e.instance_id = p_instance_id AND e.status = 'failed'
          AND (starts_with(v_run.error_details, format('step %s (node %s)', e.id, e.node_id))
               OR (e.step_type = 'call' AND starts_with(v_run.error_details, format('call activity %s: ', e.node_id))))
        ORDER BY e.completed_at DESC NULLS LAST, e.created_at DESC
        LIMIT 1;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = 'PW409',
                MESSAGE = format('run %s did not fail at a step that can be retried: %s', p_instance_id, v_run.error_details),
                HINT = 'A run stopped by its model (no way on, the step limit, an expired approval) would stop the same way again; start a new run.';
        END IF;
        IF v_run.parent_instance_id IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'PW409',
                MESSAGE = format('run %s was started by a call activity of run %s, which has learnt of its failure', p_instance_id, v_run.parent_instance_id),
                HINT = 'Retry the calling run: its call step starts a new run of this workflow.';
        END IF;
        IF EXISTS (SELECT 1 FROM automation.workflow_nodes n
                   WHERE n.workflow_id = v_run.workflow_id AND n.node_id = v_step.node_id AND n.parent_node_id IS NOT NULL) THEN
            RAISE EXCEPTION USING ERRCODE = 'PW409',
                MESSAGE = format('run %s failed at node %s inside sub-process %s: only a step at the top level can be retried', p_instance_id, v_step.node_id,
                                 (SELECT n.parent_node_id FROM automation.workflow_nodes n WHERE n.workflow_id = v_run.workflow_id AND n.node_id = v_step.node_id)),
                HINT = 'Start a new run.';
        END IF;
        -- the steps that were still open when the run failed were closed with engine_fail_run's reason
        SELECT string_agg(DISTINCT e.node_id, ', ' ORDER BY e.node_id) INTO v_others
        FROM automation.workflow_executions e
        WHERE e.instance_id = p_instance_id AND e.id <> v_step.id AND e.status = 'failed'
          AND e.error_message = 'run failed: ' || v_run.error_details;
        IF v_others IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'PW409',
                MESSAGE = format('run %s had other branches open when step %s (node %s) failed (at %s): a retry puts back only the failed step', p_instance_id, v_step.id, v_step.node_id, v_others),
                HINT = 'Start a new run.';
        END IF;
    END IF;

    UPDATE automation.workflow_instances
    SET status = v_to,
        error_details = CASE WHEN v_to = 'cancelled' THEN COALESCE(p_reason, 'cancelled by ' || v_user)
                             WHEN p_action = 'retry' THEN NULL ELSE error_details END,
        execution_metrics = CASE WHEN v_to = 'cancelled' THEN automation.engine_run_metrics(p_instance_id) ELSE execution_metrics END,
        engine_state = jsonb_set(engine_state, '{events}',
            COALESCE(engine_state -> 'events', '[]'::jsonb)
            || jsonb_build_array(jsonb_build_object('action', p_action, 'by', v_user, 'at', clock_timestamp(), 'reason', p_reason)
                                 || CASE WHEN p_action = 'retry'
                                         THEN jsonb_build_object('step', v_step.id, 'node', v_step.node_id, 'error', v_run.error_details)
                                         ELSE '{}'::jsonb END))
    WHERE id = p_instance_id
    RETURNING * INTO v_run;

    IF p_action = 'retry' THEN
        -- the run's top level listens again for its event sub-processes (engine_close_open_work
        -- dropped the subscriptions), and a token arrives at the failed step's node again by the
        -- flow it came by: engine_advance visits the node as a new step
        v_problem := automation.engine_subscribe_event_subprocesses(v_run, NULL, NULL, v_run.execution_context);
        IF v_problem IS NOT NULL THEN
            PERFORM automation.engine_fail_run(p_instance_id, v_problem);
            RETURN (SELECT status FROM automation.workflow_instances WHERE id = p_instance_id);
        END IF;
        INSERT INTO automation.workflow_tokens (instance_id, node_id, edge_id, state)
        VALUES (p_instance_id, v_step.node_id, v_step.incoming_edge_id, 'arrived');
    END IF;

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
    'Pauses (running -> paused), resumes (paused -> running, then advances), cancels (-> cancelled, open steps, approvals and tasks closed) or retries (failed -> running: a token arrives again at the top-level step whose failure failed the run, which runs as a new step) a run as its starter (an active user) or a workflow_admin; recorded in engine_state.events. PW401, PW403, PW404, PW409 (also: a retry of a run not failed at a step, called by another run, failed inside a sub-process or with other branches open).';

REVOKE ALL ON FUNCTION automation.engine_control_run(uuid, varchar, text) FROM PUBLIC;
