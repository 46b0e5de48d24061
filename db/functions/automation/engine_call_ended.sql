-- Engine rule: a child run started by a call activity has ended on its own (completed, failed,
-- or cancelled by a person) after the transaction that started it. The caller's call step, if
-- still open, finishes: completed, the child's "out" mapping becomes the caller's variables and
-- the token moves on (engine_finish_step); failed or cancelled, engine_call_failed decides and
-- the caller advances or fails. Lock order: the child (held by whoever ended it), then the
-- caller, then its step. Called by engine_complete_run, engine_fail_run and engine_control_run.
CREATE OR REPLACE FUNCTION automation.engine_call_ended(p_child_id uuid)
RETURNS void
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_child automation.workflow_instances;
    v_run automation.workflow_instances;
    v_step automation.workflow_executions;
    v_config jsonb;
    v_token_id bigint;
    v_problem text;
BEGIN
    SELECT * INTO v_child FROM automation.workflow_instances WHERE id = p_child_id;
    IF v_child.parent_instance_id IS NULL THEN
        RETURN;
    END IF;
    SELECT * INTO v_run FROM automation.workflow_instances WHERE id = v_child.parent_instance_id FOR UPDATE;
    SELECT * INTO v_step FROM automation.workflow_executions WHERE id = v_child.parent_execution_id FOR UPDATE;
    -- a step without calledRunId: the visit that started the child is still running and takes
    -- the child's end itself (engine_visit_call)
    IF v_run.status NOT IN ('running', 'paused') OR v_step.status IS DISTINCT FROM 'running'
       OR NOT v_step.input_data ? 'calledRunId' THEN
        RETURN;
    END IF;
    SELECT t.id INTO v_token_id FROM automation.workflow_tokens t
    WHERE t.instance_id = v_run.id AND t.execution_id = v_step.id;
    -- inside the caller's own advance (a signal it threw ended the child): its token goes back to
    -- the call node, whose visit takes the child's end with the advance's data in hand
    IF current_setting('pgwf.engine_batch', true) = v_run.id::text THEN
        UPDATE automation.workflow_tokens SET state = 'arrived' WHERE id = v_token_id;
        RETURN;
    END IF;
    IF v_child.status = 'completed' THEN
        SELECT n.configuration INTO v_config FROM automation.workflow_nodes n
        WHERE n.workflow_id = v_run.workflow_id AND n.node_id = v_step.node_id;
        PERFORM automation.engine_finish_step(v_step.id,
            jsonb_build_object('variables', automation.engine_call_variables(v_config -> 'out', v_child.execution_context),
                               'calledRunId', v_child.id));
        RETURN;
    END IF;
    v_problem := automation.engine_call_failed(v_run, v_token_id, v_step.id, v_step.node_id, v_child);
    IF v_problem IS NOT NULL THEN
        PERFORM automation.engine_fail_run(v_run.id, v_problem);
    ELSE
        PERFORM automation.engine_advance(v_run.id);
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.engine_call_ended(uuid) IS
    'A child run of a call activity ended later than its start: finishes the caller''s open call step (out mapping and on, or engine_call_failed) and advances or fails the caller.';

REVOKE ALL ON FUNCTION automation.engine_call_ended(uuid) FROM PUBLIC;
