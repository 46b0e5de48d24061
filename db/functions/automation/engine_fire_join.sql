-- Engine rule: a join fires. It consumes the oldest waiting token of each incoming flow that has
-- one (tokens of a later round stay for the next firing), writes one step row and sends one
-- token on. Called by engine_visit_join and, for inclusive joins that became ready because a
-- token elsewhere stopped, by engine_advance.
CREATE OR REPLACE FUNCTION automation.engine_fire_join(
    p_run automation.workflow_instances,
    p_node automation.workflow_nodes,
    p_scope_token_id bigint,
    INOUT p_ctx jsonb,
    OUT o_problem text
)
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_consumed bigint[];
    v_keep bigint;
    v_edges jsonb;
    v_now timestamptz := clock_timestamp();
BEGIN
    SELECT array_agg(f.id ORDER BY f.id), jsonb_agg(f.edge_id ORDER BY f.id)
    INTO v_consumed, v_edges
    FROM (SELECT DISTINCT ON (t.edge_id) t.id, t.edge_id
          FROM automation.workflow_tokens t
          WHERE t.instance_id = p_run.id AND t.node_id = p_node.node_id AND t.state = 'joining'
            AND t.scope_token_id IS NOT DISTINCT FROM p_scope_token_id
          ORDER BY t.edge_id, t.id) f;
    v_keep := v_consumed[1];
    DELETE FROM automation.workflow_tokens WHERE id = ANY (v_consumed[2:]);

    INSERT INTO automation.workflow_executions (instance_id, node_id, step_type, status, started_at, completed_at,
                                                duration_ms, output_data, incoming_edge_id, created_at)
    VALUES (p_run.id, p_node.node_id, p_node.node_type, 'completed', v_now, v_now, 0,
            jsonb_build_object('joined', v_edges), v_edges ->> -1, v_now);
    p_ctx := jsonb_set(p_ctx, ARRAY['steps', p_node.node_id::text], jsonb_build_object('joined', v_edges));
    o_problem := automation.engine_leave(v_keep, p_run.workflow_id, p_node.node_id, p_node.node_type,
                                         COALESCE(p_node.configuration, '{}'::jsonb), NULL, p_ctx);
END;
$$;

COMMENT ON FUNCTION automation.engine_fire_join(automation.workflow_instances, automation.workflow_nodes, bigint, jsonb) IS
    'Fires a join: consumes the oldest joining token of each incoming flow that has one, writes one completed step row (output.joined lists the flows) and moves one token on.';

REVOKE ALL ON FUNCTION automation.engine_fire_join(automation.workflow_instances, automation.workflow_nodes, bigint, jsonb) FROM PUBLIC;
