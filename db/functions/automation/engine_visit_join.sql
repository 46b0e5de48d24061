-- Engine rule: a token arrives at a joining gateway (parallel or inclusive, with more than one
-- incoming flow). It waits there (state joining). A parallel join fires once a token waits on
-- every incoming flow, counted in the rows; an inclusive join fires once no other token of its
-- scope can still reach it (engine_join_ready). Firing is engine_fire_join. Called by
-- engine_advance.
CREATE OR REPLACE FUNCTION automation.engine_visit_join(
    p_run automation.workflow_instances,
    p_token automation.workflow_tokens,
    p_node automation.workflow_nodes,
    p_incoming integer,
    INOUT p_ctx jsonb,
    OUT o_problem text
)
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_arrived integer;
    v_fired record;
BEGIN
    UPDATE automation.workflow_tokens SET state = 'joining' WHERE id = p_token.id;
    IF p_node.configuration ->> 'kind' = 'parallel' THEN
        SELECT count(DISTINCT t.edge_id) INTO v_arrived
        FROM automation.workflow_tokens t
        WHERE t.instance_id = p_run.id AND t.node_id = p_node.node_id AND t.state = 'joining'
          AND t.scope_token_id IS NOT DISTINCT FROM p_token.scope_token_id;
        IF v_arrived < p_incoming THEN
            RETURN;
        END IF;
    ELSIF NOT automation.engine_join_ready(p_run.id, p_run.workflow_id, p_node.node_id, p_token.scope_token_id) THEN
        RETURN;
    END IF;
    v_fired := automation.engine_fire_join(p_run, p_node, p_token.scope_token_id, p_ctx);
    p_ctx := v_fired.p_ctx;
    o_problem := v_fired.o_problem;
END;
$$;

COMMENT ON FUNCTION automation.engine_visit_join(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, integer, jsonb) IS
    'A token arrives at a parallel or inclusive join and waits (joining); the join fires when a token waits on every incoming flow (parallel) or no other token of the scope can still reach it (inclusive).';

REVOKE ALL ON FUNCTION automation.engine_visit_join(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, integer, jsonb) FROM PUBLIC;
