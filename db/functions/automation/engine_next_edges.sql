-- Routing: the outgoing edges a run takes when it leaves a node (docs/graph-model.md):
-- outcome handles for condition and approval nodes, gateway kinds, edge conditions and
-- default edges. A row with a problem (and no edge) means the run cannot go on.
-- Called by engine_advance and engine_finish_step.
CREATE OR REPLACE FUNCTION automation.engine_next_edges(
    p_workflow_id uuid,
    p_node_id varchar,
    p_node_type varchar,
    p_config jsonb,
    p_outcome varchar,
    p_context jsonb
)
RETURNS TABLE (edge_id varchar, target_node_id varchar, problem text)
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_kind text := CASE WHEN p_node_type = 'gateway' THEN COALESCE(p_config ->> 'kind', 'exclusive') END;
    v_edge record;
    v_matched integer := 0;
    v_conditional integer := 0;
    v_unconditional integer := 0;
    v_default_edge varchar;
    v_default_target varchar;
    v_holds boolean;
    v_total integer := 0;
BEGIN
    -- a loop over the node's few outgoing edges: each is classified and maybe taken
    FOR v_edge IN
        SELECT e.edge_id, e.target_node_id, e.conditions
        FROM automation.workflow_edges e
        WHERE e.workflow_id = p_workflow_id AND e.source_node_id = p_node_id AND e.is_enabled
          AND (p_outcome IS NULL OR e.source_handle = p_outcome)
        ORDER BY CASE WHEN v_kind = 'exclusive' THEN e.edge_order END, e.edge_id
    LOOP
        v_total := v_total + 1;
        IF v_kind = 'parallel' THEN
            edge_id := v_edge.edge_id; target_node_id := v_edge.target_node_id; problem := NULL;
            RETURN NEXT;
            CONTINUE;
        END IF;
        IF (v_edge.conditions ->> 'default')::boolean IS TRUE THEN
            v_default_edge := COALESCE(v_default_edge, v_edge.edge_id);
            v_default_target := COALESCE(v_default_target, v_edge.target_node_id);
            CONTINUE;
        END IF;
        IF v_edge.conditions IS NULL OR v_edge.conditions -> 'conditions' IS NULL THEN
            v_unconditional := v_unconditional + 1;
            v_holds := true;
        ELSE
            v_conditional := v_conditional + 1;
            SELECT bool_and(automation.evaluate_condition(c, p_context)) INTO v_holds
            FROM jsonb_array_elements(v_edge.conditions -> 'conditions') c;
        END IF;
        IF v_holds THEN
            IF v_kind = 'exclusive' AND v_matched > 0 THEN
                CONTINUE;
            END IF;
            v_matched := v_matched + 1;
            edge_id := v_edge.edge_id; target_node_id := v_edge.target_node_id; problem := NULL;
            RETURN NEXT;
        END IF;
    END LOOP;

    IF v_kind = 'parallel' OR (v_total = 0 AND p_outcome IS NULL) THEN
        -- a node without outgoing edges ends its branch
        RETURN;
    END IF;
    IF v_matched = 0 AND v_default_edge IS NOT NULL THEN
        edge_id := v_default_edge; target_node_id := v_default_target; problem := NULL;
        RETURN NEXT;
    ELSIF v_matched = 0 AND (v_conditional > 0 OR v_kind IS NOT NULL) THEN
        edge_id := NULL; target_node_id := NULL;
        problem := format('no outgoing edge of node %s matched the run''s data and it has no default edge', p_node_id);
        RETURN NEXT;
    ELSIF v_matched = 0 AND p_outcome IS NOT NULL AND v_unconditional = 0 THEN
        edge_id := NULL; target_node_id := NULL;
        problem := format('node %s has no outgoing edge for the outcome %s', p_node_id, quote_literal(p_outcome));
        RETURN NEXT;
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.engine_next_edges(uuid, varchar, varchar, jsonb, varchar, jsonb) IS
    'The edges a run takes leaving a node: for an outcome (condition true/false, approval approved/rejected/expired) only edges with that sourceHandle; parallel gateway all; exclusive gateway the first matching in edge order; otherwise every unconditional edge and every conditional one that holds; the default edge when none matched. A row with problem set when the run cannot go on.';

REVOKE ALL ON FUNCTION automation.engine_next_edges(uuid, varchar, varchar, jsonb, varchar, jsonb) FROM PUBLIC;
