-- Engine rule: a token leaves the node it is at. It takes the edges the router picks
-- (engine_next_edges): the first edge moves the token itself, each further edge forks a new
-- token in the same scope; with no edge the token ends (engine_end_token), and so does an
-- instance of a multi-instance activity, whose body leaves when they are done. The boundary
-- subscriptions of the node end with it. Returns a problem when the run cannot go on.
-- Called by the visit functions, engine_finish_step and engine_complete_scope.
CREATE OR REPLACE FUNCTION automation.engine_leave(
    p_token_id bigint,
    p_workflow_id uuid,
    p_node_id varchar,
    p_node_type varchar,
    p_config jsonb,
    p_outcome varchar,
    p_ctx jsonb
)
RETURNS text
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions (it runs as their owner
-- with their search_path), so it needs no definer rights or search_path switch of its own
DECLARE
    v_next record;
    v_moved boolean := false;
BEGIN
    -- (a node that does its work at once never leaves subscriptions behind)
    IF p_node_type NOT IN ('trigger', 'condition', 'notification', 'end', 'manual')
       AND NOT (p_node_type = 'gateway' AND p_config ->> 'kind' IS DISTINCT FROM 'eventBased') THEN
        DELETE FROM automation.workflow_event_subscriptions WHERE token_id = p_token_id;
    END IF;
    -- (only a node that repeats has instance tokens: other nodes look for none)
    IF p_config ? 'multiInstance' THEN
        IF (SELECT t.locals ? 'loopCounter' FROM automation.workflow_tokens t WHERE t.id = p_token_id) THEN
            RETURN automation.engine_end_token(p_token_id, p_ctx);
        END IF;
    END IF;
    -- a loop over the few edges the node takes: the first moves the token, the others fork
    FOR v_next IN
        SELECT * FROM automation.engine_next_edges(p_workflow_id, p_node_id, p_node_type, p_config, p_outcome, p_ctx)
    LOOP
        IF v_next.problem IS NOT NULL THEN
            RETURN v_next.problem;
        END IF;
        IF NOT v_moved THEN
            UPDATE automation.workflow_tokens
            SET node_id = v_next.target_node_id, edge_id = v_next.edge_id, state = 'arrived', execution_id = NULL
            WHERE id = p_token_id;
            v_moved := true;
        ELSE
            INSERT INTO automation.workflow_tokens (instance_id, scope_token_id, node_id, edge_id, state)
            SELECT t.instance_id, t.scope_token_id, v_next.target_node_id, v_next.edge_id, 'arrived'
            FROM automation.workflow_tokens t WHERE t.id = p_token_id;
        END IF;
    END LOOP;
    IF NOT v_moved THEN
        RETURN automation.engine_end_token(p_token_id, p_ctx);
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.engine_leave(bigint, uuid, varchar, varchar, jsonb, varchar, jsonb) IS
    'Moves a token out of its node along the edges the router takes (one token per edge: the first edge moves it, the others fork); a node with no way out ends the token. Returns the routing problem, if any.';

REVOKE ALL ON FUNCTION automation.engine_leave(bigint, uuid, varchar, varchar, jsonb, varchar, jsonb) FROM PUBLIC;
