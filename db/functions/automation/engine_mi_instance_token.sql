-- Engine rule: one instance of a multi-instance activity or loop starts: a token inside the
-- body's token (p_body), at the same node, with the instance's loopCounter and, for a
-- collection, its element variable. Called by engine_visit_multi_instance and
-- engine_mi_instance_done (the next instance of a sequential one).
CREATE OR REPLACE FUNCTION automation.engine_mi_instance_token(p_body automation.workflow_tokens, p_config jsonb, p_counter integer)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    -- internal: reached only from the engine's SECURITY DEFINER functions
    INSERT INTO automation.workflow_tokens (instance_id, scope_token_id, node_id, edge_id, state, locals)
    VALUES (p_body.instance_id, p_body.id, p_body.node_id, p_body.edge_id, 'arrived',
            jsonb_build_object('loopCounter', p_counter)
            || CASE WHEN nullif(p_config ->> 'elementVariable', '') IS NOT NULL
                    THEN jsonb_build_object(p_config ->> 'elementVariable', p_body.locals #> ARRAY['$mi', 'items', p_counter::text])
                    ELSE '{}'::jsonb END);
END;
$$;

COMMENT ON FUNCTION automation.engine_mi_instance_token(automation.workflow_tokens, jsonb, integer) IS
    'Starts instance p_counter (from 0) of a multi-instance body: a token at the same node inside the body, holding loopCounter and the element variable.';

REVOKE ALL ON FUNCTION automation.engine_mi_instance_token(automation.workflow_tokens, jsonb, integer) FROM PUBLIC;
