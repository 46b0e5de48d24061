-- Engine rule: a sub-process whose tokens have all ended completes: its step is completed and
-- its token leaves the sub-process node by its outgoing flows. Called by engine_end_token and by
-- a terminate end event inside a sub-process.
CREATE OR REPLACE FUNCTION automation.engine_complete_scope(p_scope_token_id bigint, p_ctx jsonb)
RETURNS text
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_token automation.workflow_tokens;
    v_node automation.workflow_nodes;
BEGIN
    SELECT * INTO v_token FROM automation.workflow_tokens WHERE id = p_scope_token_id;
    PERFORM automation.engine_complete_step_row(v_token.execution_id, NULL);
    SELECT n.* INTO v_node FROM automation.workflow_nodes n
    JOIN automation.workflow_instances wi ON wi.workflow_id = n.workflow_id
    WHERE wi.id = v_token.instance_id AND n.node_id = v_token.node_id;
    RETURN automation.engine_leave(v_token.id, v_node.workflow_id, v_node.node_id, v_node.node_type,
                                   COALESCE(v_node.configuration, '{}'::jsonb), NULL, p_ctx);
END;
$$;

COMMENT ON FUNCTION automation.engine_complete_scope(bigint, jsonb) IS
    'Completes a sub-process whose tokens have all ended: its step is completed and its token leaves by the sub-process''s outgoing flows.';

REVOKE ALL ON FUNCTION automation.engine_complete_scope(bigint, jsonb) FROM PUBLIC;
