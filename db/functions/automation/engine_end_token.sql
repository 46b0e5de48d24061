-- Engine rule: a token ends (an end event, or a node with no outgoing flow). When it was the
-- last token of a sub-process, the sub-process completes (engine_complete_scope); an instance of a
-- multi-instance activity tells its body (engine_mi_instance_done). A run whose
-- top-level scope has no token left completes when engine_advance finishes. Returns a problem
-- when the run cannot go on. Called by engine_leave and the end event visit.
CREATE OR REPLACE FUNCTION automation.engine_end_token(p_token_id bigint, p_ctx jsonb)
RETURNS text
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_token automation.workflow_tokens;
    v_scope bigint;
BEGIN
    DELETE FROM automation.workflow_tokens WHERE id = p_token_id RETURNING * INTO v_token;
    v_scope := v_token.scope_token_id;
    IF v_scope IS NOT NULL
       AND (SELECT s.locals ? '$mi' FROM automation.workflow_tokens s WHERE s.id = v_scope) THEN
        RETURN automation.engine_mi_instance_done(v_scope, p_ctx, v_token);
    ELSIF v_scope IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM automation.workflow_tokens t WHERE t.scope_token_id = v_scope) THEN
        RETURN automation.engine_complete_scope(v_scope, p_ctx);
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.engine_end_token(bigint, jsonb) IS
    'Deletes a token that reached the end of its path; the last token of a sub-process completes the sub-process, an instance of a multi-instance activity is counted by its body. Returns a routing problem, if any.';

REVOKE ALL ON FUNCTION automation.engine_end_token(bigint, jsonb) FROM PUBLIC;
