-- Engine rule: a visit of a call activity starts a run of another deployed process (the child
-- run; engine_call_target picks the version) with the variables of its "in" mapping (or all of
-- the caller's with inheritVariables), its business key (businessKey, or the caller's with
-- inheritBusinessKey) and the caller's priority and starter; the call step stays running and
-- the token waits in it until the child run ends (engine_call_ended). A child run that ends in
-- the same transaction is taken at once: completed, its "out" mapping becomes the caller's
-- variables and the token moves on; failed, engine_call_failed decides. So is a child that ended
-- inside this run's own advance later on: its token comes back to the call node with its step.
-- Calls nest at most 20 deep. Called by engine_advance.
CREATE OR REPLACE FUNCTION automation.engine_visit_call(
    p_run automation.workflow_instances,
    p_token automation.workflow_tokens,
    p_node automation.workflow_nodes,
    INOUT p_ctx jsonb,
    OUT o_problem text
)
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_config jsonb := COALESCE(p_node.configuration, '{}'::jsonb);
    v_now timestamptz := clock_timestamp();
    v_target record;
    v_depth integer;
    v_input jsonb;
    v_business_key varchar;
    v_exec_id uuid;
    v_child_id uuid;
    v_child automation.workflow_instances;
    v_output jsonb;
BEGIN
    IF p_token.execution_id IS NULL THEN
        WITH RECURSIVE up(id, parent_id, depth) AS (
            SELECT p_run.id, p_run.parent_instance_id, 0
            UNION ALL
            SELECT w.id, w.parent_instance_id, up.depth + 1
            FROM automation.workflow_instances w JOIN up ON w.id = up.parent_id
            WHERE up.depth < 20
        )
        SELECT max(depth) INTO v_depth FROM up;
        IF v_depth >= 20 THEN
            o_problem := format('call activity %s: calls nest more than 20 deep; does the process call itself without end?', p_node.node_id);
            RETURN;
        END IF;
        SELECT * INTO v_target FROM automation.engine_call_target(p_run, p_node, p_ctx);
        IF v_target.o_problem IS NOT NULL THEN
            o_problem := v_target.o_problem;
            RETURN;
        END IF;

        v_input := CASE WHEN (v_config ->> 'inheritVariables')::boolean IS TRUE THEN COALESCE(p_ctx -> 'variables', '{}'::jsonb)
                        ELSE '{}'::jsonb END
                   || automation.engine_call_variables(v_config -> 'in', p_ctx);
        v_business_key := CASE WHEN (v_config ->> 'inheritBusinessKey')::boolean IS TRUE
                               THEN (SELECT pi.business_key FROM flowable.process_instances pi WHERE pi.process_instance_id = p_run.id::text)
                               ELSE left(automation.fill_template(v_config -> 'businessKey', p_ctx) #>> '{}', 255) END;
        INSERT INTO automation.workflow_executions (instance_id, node_id, step_type, status, started_at, input_data,
                                                    incoming_edge_id, created_at)
        VALUES (p_run.id, p_node.node_id, 'call', 'running', v_now,
                jsonb_build_object('calledElement', v_config ->> 'calledElement', 'calledWorkflowId', v_target.o_workflow_id,
                                   'variables', v_input),
                p_token.edge_id, v_now)
        RETURNING id INTO v_exec_id;
        UPDATE automation.workflow_tokens SET state = 'waiting', execution_id = v_exec_id WHERE id = p_token.id;

        -- a sub-transaction: a called version that cannot start (no none start event, not deployed)
        -- fails this run with the reason instead of the caller's transaction
        BEGIN
            v_child_id := automation.engine_start_run(v_target.o_workflow_id, v_input, p_run.priority, p_run.triggered_by,
                                                      'call', v_business_key, NULL, p_run.id, v_exec_id);
        EXCEPTION WHEN SQLSTATE 'PW409' OR SQLSTATE 'PW404' OR SQLSTATE 'PW400' THEN
            o_problem := format('call activity %s: %s', p_node.node_id, SQLERRM);
            RETURN;
        END;
        UPDATE flowable.process_instances c
        SET parent_process_id = p.process_instance_id,
            super_process_id = COALESCE(p.super_process_id, p.process_instance_id),
            case_id = COALESCE(c.case_id, p.case_id)
        FROM flowable.process_instances p
        WHERE c.process_instance_id = v_child_id::text AND p.process_instance_id = p_run.id::text;
        -- from now on the child's end reaches this run through engine_call_ended
        UPDATE automation.workflow_executions
        SET input_data = input_data || jsonb_build_object('calledRunId', v_child_id)
        WHERE id = v_exec_id;
    ELSE
        -- the token came back: its child ended inside this run's own advance (engine_call_ended)
        v_exec_id := p_token.execution_id;
    END IF;
    SELECT * INTO v_child FROM automation.workflow_instances
    WHERE parent_instance_id = p_run.id AND parent_execution_id = v_exec_id;
    -- an escalation from the child already took the token out of the call (engine_escalate_to_caller)
    IF NOT EXISTS (SELECT 1 FROM automation.workflow_tokens t WHERE t.id = p_token.id AND t.execution_id = v_exec_id) THEN
        RETURN;
    END IF;

    IF v_child.status = 'completed' THEN
        v_output := jsonb_build_object('variables', automation.engine_call_variables(v_config -> 'out', v_child.execution_context),
                                       'calledRunId', v_child.id);
        PERFORM automation.engine_complete_step_row(v_exec_id, v_output);
        p_ctx := jsonb_set(p_ctx || jsonb_build_object('steps', COALESCE(p_ctx -> 'steps', '{}'::jsonb)),
                           ARRAY['steps', p_node.node_id::text], v_output);
        p_ctx := jsonb_set(p_ctx, '{variables}', COALESCE(p_ctx -> 'variables', '{}'::jsonb) || (v_output -> 'variables'));
        o_problem := automation.engine_leave(p_token.id, p_run.workflow_id, p_node.node_id, p_node.node_type, v_config, NULL, p_ctx);
    ELSIF v_child.status IN ('failed', 'cancelled') THEN
        o_problem := automation.engine_call_failed(p_run, p_token.id, v_exec_id, p_node.node_id, v_child);
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.engine_visit_call(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, jsonb) IS
    'Starts the child run of a call activity (in mapping, business key, the caller''s priority and starter; at most 20 calls deep), keeps its call step running and the token waiting in it; a child that ends at once is taken at once (out mapping, or engine_call_failed).';

REVOKE ALL ON FUNCTION automation.engine_visit_call(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, jsonb) FROM PUBLIC;
