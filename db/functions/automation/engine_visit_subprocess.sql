-- Engine rule: a visit of an embedded sub-process opens its step (running) and makes its token
-- a scope: one new token, inside it, on each of its start nodes (the nodes inside it with no
-- incoming flow that are no boundary event, event sub-process or event start). A sub-process
-- with nothing to start completes at once. The event sub-processes inside it start listening.
-- Called by engine_advance.
CREATE OR REPLACE FUNCTION automation.engine_visit_subprocess(
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
    v_now timestamptz := clock_timestamp();
    v_exec_id uuid;
    v_started integer;
BEGIN
    INSERT INTO automation.workflow_executions (instance_id, node_id, step_type, status, started_at,
                                                incoming_edge_id, created_at)
    VALUES (p_run.id, p_node.node_id, p_node.node_type, 'running', v_now, p_token.edge_id, v_now)
    RETURNING id INTO v_exec_id;
    UPDATE automation.workflow_tokens SET state = 'scope', execution_id = v_exec_id WHERE id = p_token.id;

    INSERT INTO automation.workflow_tokens (instance_id, scope_token_id, node_id, state)
    SELECT p_run.id, p_token.id, n.node_id, 'arrived'
    FROM automation.workflow_nodes n
    WHERE n.workflow_id = p_run.workflow_id AND n.parent_node_id = p_node.node_id
      AND NOT (n.node_type = 'event' AND n.configuration ? 'attachedTo')
      AND NOT (n.node_type = 'subprocess' AND COALESCE((n.configuration ->> 'triggeredByEvent')::boolean, false))
      AND NOT (n.node_type = 'trigger' AND COALESCE(n.configuration ->> 'event', 'none') <> 'none')
      AND NOT EXISTS (SELECT 1 FROM automation.workflow_edges e
                      WHERE e.workflow_id = p_run.workflow_id AND e.target_node_id = n.node_id AND e.is_enabled)
    ORDER BY n.position_x, n.position_y, n.node_id;
    GET DIAGNOSTICS v_started = ROW_COUNT;
    o_problem := automation.engine_subscribe_event_subprocesses(p_run, p_token.id, p_node.node_id, p_ctx);
    IF o_problem IS NULL AND v_started = 0 THEN
        o_problem := automation.engine_complete_scope(p_token.id, p_ctx);
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.engine_visit_subprocess(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, jsonb) IS
    'Enters an embedded sub-process: a running step, the token becomes its scope, and a token starts on each of its start nodes; an empty sub-process completes at once.';

REVOKE ALL ON FUNCTION automation.engine_visit_subprocess(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, jsonb) FROM PUBLIC;
