-- Engine rule: an error or escalation is thrown (an error or escalation end or throw event, or a
-- worker step failed with a BPMN error code), or a transaction is cancelled (a cancel end event:
-- kind cancel, caught by the transaction's cancel boundary event). It is caught by the nearest matching boundary
-- event or event sub-process: first the boundary events of the activity that failed
-- (p_activity_token_id), then, scope by scope outwards, the event sub-processes of the scope
-- (error or escalation start) and the boundary events of the sub-process that is the scope; a
-- catcher with the same code wins over a catch-all one (no code).
-- An error, or an interrupting escalation, interrupts the activity and its token moves on from
-- the boundary event (or the event sub-process starts, engine_start_event_subprocess); a
-- non-interrupting escalation starts a new token there. An uncaught error
-- is returned as the run's problem (a child run's caller then sees it, engine_call_failed); an
-- uncaught escalation goes on to the call activity of a child run's caller
-- (engine_escalate_to_caller) and is otherwise ignored (BPMN 2.0, 10.5.4).
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
    v_start automation.workflow_nodes;
    v_scope bigint := p_scope_token_id;
    v_scope_node varchar;
    v_activity boolean := p_activity_token_id IS NOT NULL;
BEGIN
    IF v_activity THEN
        SELECT * INTO v_holder FROM automation.workflow_tokens WHERE id = p_activity_token_id;
    END IF;
    -- a loop outwards: the failed activity's boundary events, then for each enclosing scope its
    -- event sub-processes and the boundary events of the sub-process itself
    LOOP
        IF v_activity THEN
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
            v_scope := v_holder.scope_token_id;
        END IF;
        -- the event sub-processes of the scope (NULL: the run's top level) with a matching start
        SELECT node_id INTO v_scope_node FROM automation.workflow_tokens WHERE id = v_scope;
        SELECT s.* INTO v_start
        FROM automation.workflow_nodes es
        JOIN automation.workflow_nodes s ON s.workflow_id = es.workflow_id AND s.parent_node_id = es.node_id
        WHERE es.workflow_id = p_run.workflow_id AND es.node_type = 'subprocess' AND es.is_enabled
          AND COALESCE((es.configuration ->> 'triggeredByEvent')::boolean, false)
          AND es.parent_node_id IS NOT DISTINCT FROM (CASE WHEN v_scope IS NULL THEN NULL ELSE v_scope_node END)
          AND s.node_type = 'event' AND COALESCE((s.configuration ->> 'start')::boolean, false)
          AND s.configuration ->> 'event' = p_kind
          AND (COALESCE(s.configuration ->> 'code', '') = '' OR s.configuration ->> 'code' = p_code)
        ORDER BY (COALESCE(s.configuration ->> 'code', '') = ''), es.node_id
        LIMIT 1;
        IF FOUND THEN
            PERFORM automation.engine_start_event_subprocess(p_run, v_scope, v_start,
                format('interrupted by %s %s caught by event sub-process %s', p_kind, COALESCE(p_code, '(no code)'), v_start.parent_node_id));
            RETURN NULL;
        END IF;
        EXIT WHEN v_scope IS NULL;
        -- then the sub-process itself, as the activity the error leaves
        SELECT * INTO v_holder FROM automation.workflow_tokens WHERE id = v_scope;
        EXIT WHEN NOT FOUND;
        v_activity := true;
    END LOOP;
    IF p_kind = 'error' THEN
        RETURN format('error %s was thrown and no boundary event caught it', COALESCE(quote_literal(p_code), '(no code)'));
    END IF;
    -- an escalation goes on to the call activity that started this run, if any
    IF p_kind = 'escalation' AND p_run.parent_instance_id IS NOT NULL THEN
        PERFORM automation.engine_escalate_to_caller(p_run, p_code);
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.engine_throw(automation.workflow_instances, varchar, varchar, bigint, bigint) IS
    'Throws an error or escalation: the nearest matching boundary event of the failed activity, else scope by scope outwards the event sub-process with a matching start or the boundary event of the enclosing sub-process (same code before catch-all) catches it; returns the run''s problem for an uncaught error; an uncaught escalation of a child run goes on to its caller.';

REVOKE ALL ON FUNCTION automation.engine_throw(automation.workflow_instances, varchar, varchar, bigint, bigint) FROM PUBLIC;
