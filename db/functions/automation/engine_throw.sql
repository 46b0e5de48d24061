-- Engine rule: an error or escalation is thrown (an error or escalation end or throw event, or a
-- worker step failed with a BPMN error code). It is caught by the nearest matching boundary
-- event: first on the activity that failed (p_activity_token_id), then on each enclosing
-- sub-process outwards; a boundary with the same code wins over a catch-all one (no code).
-- An error, or an interrupting escalation, interrupts the activity and its token moves on from
-- the boundary event; a non-interrupting escalation starts a new token there. An uncaught error
-- is returned as the run's problem; an uncaught escalation is ignored (BPMN 2.0, 10.5.4).
-- Called by engine_visit_event and fail_step.
CREATE OR REPLACE FUNCTION automation.engine_throw(
    p_run automation.workflow_instances,
    p_kind varchar,
    p_code varchar,
    p_scope_token_id bigint,
    p_activity_token_id bigint DEFAULT NULL
)
RETURNS text
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_holder automation.workflow_tokens;
    v_boundary automation.workflow_nodes;
    v_scope bigint := p_scope_token_id;
BEGIN
    IF p_activity_token_id IS NOT NULL THEN
        SELECT * INTO v_holder FROM automation.workflow_tokens WHERE id = p_activity_token_id;
    ELSIF v_scope IS NOT NULL THEN
        SELECT * INTO v_holder FROM automation.workflow_tokens WHERE id = v_scope;
    END IF;
    -- a loop outwards through the enclosing scopes, at most as deep as sub-processes nest
    WHILE v_holder.id IS NOT NULL LOOP
        -- an instance of a multi-instance activity: the boundary events are the body's
        IF v_holder.locals ? 'loopCounter' THEN
            SELECT * INTO v_holder FROM automation.workflow_tokens WHERE id = v_holder.scope_token_id;
        END IF;
        SELECT b.* INTO v_boundary
        FROM automation.workflow_nodes b
        WHERE b.workflow_id = p_run.workflow_id AND b.node_type = 'event' AND b.is_enabled
          AND b.configuration ->> 'attachedTo' = v_holder.node_id
          AND b.configuration ->> 'event' = p_kind
          AND (COALESCE(b.configuration ->> 'code', '') = '' OR b.configuration ->> 'code' = p_code)
        ORDER BY (COALESCE(b.configuration ->> 'code', '') = ''), b.node_id
        LIMIT 1;
        IF FOUND THEN
            IF p_kind = 'error' OR COALESCE((v_boundary.configuration ->> 'interrupting')::boolean, true) THEN
                PERFORM automation.engine_interrupt_token(v_holder.id,
                    format('interrupted by %s %s caught by boundary event %s', p_kind, COALESCE(p_code, '(no code)'), v_boundary.node_id));
                UPDATE automation.workflow_tokens SET node_id = v_boundary.node_id, edge_id = NULL, state = 'arrived'
                WHERE id = v_holder.id;
            ELSE
                INSERT INTO automation.workflow_tokens (instance_id, scope_token_id, node_id, state)
                VALUES (p_run.id, v_holder.scope_token_id, v_boundary.node_id, 'arrived');
            END IF;
            RETURN NULL;
        END IF;
        EXIT WHEN v_holder.scope_token_id IS NULL;
        SELECT * INTO v_holder FROM automation.workflow_tokens WHERE id = v_holder.scope_token_id;
    END LOOP;
    IF p_kind = 'error' THEN
        RETURN format('error %s was thrown and no boundary event caught it', COALESCE(quote_literal(p_code), '(no code)'));
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.engine_throw(automation.workflow_instances, varchar, varchar, bigint, bigint) IS
    'Throws an error or escalation: the nearest matching boundary event (same code before catch-all) on the failed activity or an enclosing sub-process catches it; returns the run''s problem for an uncaught error.';

REVOKE ALL ON FUNCTION automation.engine_throw(automation.workflow_instances, varchar, varchar, bigint, bigint) FROM PUBLIC;
