-- Engine rule: an escalation that nothing in a child run of a call activity catches goes on to
-- the call activity in the caller (BPMN 2.0, 10.5.4: escalations propagate to the calling
-- activity), where its boundary events and the caller's scopes may catch it (engine_throw). An
-- interrupting catch ends the call: the child is cancelled and the caller leaves by the boundary
-- event. The caller advances, unless its own advance is on the stack (the child started in the
-- same visit, or ended by the caller's own signal), which then goes on by itself. Lock order:
-- the child, then the caller. Called by engine_throw.
CREATE OR REPLACE FUNCTION automation.engine_escalate_to_caller(p_child automation.workflow_instances, p_code varchar)
RETURNS void
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_run automation.workflow_instances;
    v_step automation.workflow_executions;
    v_token automation.workflow_tokens;
    v_problem text;
BEGIN
    SELECT * INTO v_run FROM automation.workflow_instances WHERE id = p_child.parent_instance_id FOR UPDATE;
    SELECT * INTO v_step FROM automation.workflow_executions WHERE id = p_child.parent_execution_id;
    SELECT * INTO v_token FROM automation.workflow_tokens WHERE instance_id = v_run.id AND execution_id = v_step.id;
    IF v_run.status <> 'running' OR v_step.status IS DISTINCT FROM 'running' OR v_token.id IS NULL THEN
        RETURN;
    END IF;
    v_problem := automation.engine_throw(v_run, 'escalation', p_code, v_token.scope_token_id, v_token.id);
    IF v_problem IS NOT NULL THEN
        PERFORM automation.engine_fail_run(v_run.id, v_problem);
    ELSIF v_step.input_data ? 'calledRunId' AND current_setting('pgwf.engine_batch', true) IS DISTINCT FROM v_run.id::text THEN
        PERFORM automation.engine_advance(v_run.id);
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.engine_escalate_to_caller(automation.workflow_instances, varchar) IS
    'Throws an escalation a child run did not catch at the call activity of its caller (boundary events, then the caller''s scopes) and advances the caller unless its advance is already running.';

REVOKE ALL ON FUNCTION automation.engine_escalate_to_caller(automation.workflow_instances, varchar) FROM PUBLIC;
