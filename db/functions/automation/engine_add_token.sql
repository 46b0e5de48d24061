-- Engine state helper: records that a branch arrived at a node by an edge. The tokens wait in
-- engine_state.waiting until the node may be visited (see engine_advance). Pure function.
CREATE OR REPLACE FUNCTION automation.engine_add_token(p_state jsonb, p_node_id varchar, p_edge_id varchar)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT jsonb_set(
        jsonb_set(COALESCE(p_state, '{}'::jsonb), '{waiting}', COALESCE(p_state -> 'waiting', '{}'::jsonb)),
        ARRAY['waiting', p_node_id::text],
        jsonb_build_object(
            'edges', COALESCE(p_state #> ARRAY['waiting', p_node_id::text, 'edges'], '[]'::jsonb)
                     || jsonb_build_array(p_edge_id),
            'seq', COALESCE(p_state #> ARRAY['waiting', p_node_id::text, 'seq'],
                            to_jsonb(COALESCE((p_state ->> 'seq')::bigint, 0) + 1))))
        || jsonb_build_object('seq', COALESCE((p_state ->> 'seq')::bigint, 0) + 1);
$$;

COMMENT ON FUNCTION automation.engine_add_token(jsonb, varchar, varchar) IS
    'Engine state with one more token waiting at the node (arrived by the edge; NULL for a run''s start). Tokens of one node keep the sequence number of the first arrival.';

REVOKE ALL ON FUNCTION automation.engine_add_token(jsonb, varchar, varchar) FROM PUBLIC;
