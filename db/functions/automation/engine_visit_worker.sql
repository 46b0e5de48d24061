-- Engine rule: a visit of an action or integration node opens a worker step (pending, input
-- filled from the run's data) and the token waits in it; workers are woken by NOTIFY pgwf_steps.
-- Called by engine_advance.
CREATE OR REPLACE FUNCTION automation.engine_visit_worker(
    p_run automation.workflow_instances,
    p_token automation.workflow_tokens,
    p_node automation.workflow_nodes,
    p_ctx jsonb
)
RETURNS void
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_config jsonb := COALESCE(p_node.configuration, '{}'::jsonb);
    v_now timestamptz := clock_timestamp();
    v_exec_id uuid;
BEGIN
    INSERT INTO automation.workflow_executions (instance_id, node_id, step_type, status, input_data,
                                                max_retries, next_attempt_at, incoming_edge_id, created_at)
    VALUES (p_run.id, p_node.node_id, p_node.node_type, 'pending',
            automation.fill_template(v_config, p_ctx),
            GREATEST(0, COALESCE((v_config ->> 'maxRetries')::integer, 0)),
            v_now, p_token.edge_id, v_now)
    RETURNING id INTO v_exec_id;
    UPDATE automation.workflow_tokens SET state = 'waiting', execution_id = v_exec_id WHERE id = p_token.id;
    PERFORM pg_notify('pgwf_steps', json_build_object('execution_id', v_exec_id, 'step_type', p_node.node_type,
                                                      'connector', v_config ->> 'connector')::text);
END;
$$;

COMMENT ON FUNCTION automation.engine_visit_worker(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, jsonb) IS
    'Opens a pending worker step for an action or integration node (input filled from the run''s data, maxRetries), parks the token in it and wakes the workers (NOTIFY pgwf_steps).';

REVOKE ALL ON FUNCTION automation.engine_visit_worker(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, jsonb) FROM PUBLIC;
