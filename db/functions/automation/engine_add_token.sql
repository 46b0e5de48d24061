-- Engine state helper: records that a branch arrived at a node by an edge. The tokens wait in
-- engine_state.waiting until the node may be visited (see engine_advance). Pure function;
-- PL/pgSQL rather than SQL so that its many calls per run reuse one cached plan.
CREATE OR REPLACE FUNCTION automation.engine_add_token(p_state jsonb, p_node_id varchar, p_edge_id varchar)
RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_state jsonb := COALESCE(p_state, '{}'::jsonb);
    v_waiting jsonb := COALESCE(v_state -> 'waiting', '{}'::jsonb);
    v_seq bigint := COALESCE((v_state ->> 'seq')::bigint, 0) + 1;
    v_entry jsonb := v_waiting -> p_node_id::text;
BEGIN
    IF v_entry IS NULL THEN
        v_entry := jsonb_build_object('edges', jsonb_build_array(p_edge_id), 'seq', v_seq);
    ELSE
        -- later arrivals keep the first arrival's sequence number
        v_entry := jsonb_build_object('edges', (v_entry -> 'edges') || jsonb_build_array(p_edge_id), 'seq', v_entry -> 'seq');
    END IF;
    RETURN v_state || jsonb_build_object('waiting', v_waiting || jsonb_build_object(p_node_id::text, v_entry), 'seq', v_seq);
END;
$$;

COMMENT ON FUNCTION automation.engine_add_token(jsonb, varchar, varchar) IS
    'Engine state with one more token waiting at the node (arrived by the edge; NULL for a run''s start). Tokens of one node keep the sequence number of the first arrival.';

REVOKE ALL ON FUNCTION automation.engine_add_token(jsonb, varchar, varchar) FROM PUBLIC;
