-- Engine rule: a token arrives at an event-based gateway. The gateway's step stays running and
-- the token waits there, subscribed to the event of each node its flows lead to (timer,
-- message or signal catch events, receive tasks); the first event to happen takes the token
-- through its flow and the others are dropped (engine_fire_subscription). Called by
-- engine_advance.
CREATE OR REPLACE FUNCTION automation.engine_visit_event_gateway(
    p_run automation.workflow_instances,
    p_token automation.workflow_tokens,
    p_node automation.workflow_nodes,
    p_ctx jsonb
)
RETURNS text
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_exec_id uuid;
    v_target automation.workflow_nodes;
    v_problem text;
BEGIN
    INSERT INTO automation.workflow_executions (instance_id, node_id, step_type, status, started_at, incoming_edge_id, created_at)
    VALUES (p_run.id, p_node.node_id, p_node.node_type, 'running', clock_timestamp(), p_token.edge_id, clock_timestamp())
    RETURNING id INTO v_exec_id;
    UPDATE automation.workflow_tokens SET state = 'waiting', execution_id = v_exec_id WHERE id = p_token.id;
    -- a loop over the gateway's few targets
    FOR v_target IN
        SELECT n.* FROM automation.workflow_edges e
        JOIN automation.workflow_nodes n ON n.workflow_id = e.workflow_id AND n.node_id = e.target_node_id
        WHERE e.workflow_id = p_run.workflow_id AND e.source_node_id = p_node.node_id AND e.is_enabled
        ORDER BY e.edge_id
    LOOP
        v_problem := automation.engine_subscribe(p_run, p_token.id, v_target, p_ctx);
        IF v_problem IS NOT NULL THEN
            RETURN v_problem;
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.engine_visit_event_gateway(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, jsonb) IS
    'Parks a token at an event-based gateway, subscribed to the events of the nodes its flows lead to; the first that happens wins.';

REVOKE ALL ON FUNCTION automation.engine_visit_event_gateway(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, jsonb) FROM PUBLIC;
