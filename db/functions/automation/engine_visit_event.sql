-- Engine rule: a token arrives at an event or a receive task. A catch event (timer, message,
-- signal) or receive task opens a running step and the token waits on a subscription; a none
-- event, a boundary event whose trigger already fired and a link catch pass through; a link
-- throw jumps to the link catch of the same name in its scope; a signal or message throw (or
-- end) sends it on and passes; an escalation throw (or end), an error end and a cancel end (of a
-- transaction) are thrown to the nearest boundary that catches them (engine_throw). Called by
-- engine_advance.
CREATE OR REPLACE FUNCTION automation.engine_visit_event(
    p_run automation.workflow_instances,
    p_token automation.workflow_tokens,
    p_node automation.workflow_nodes,
    INOUT p_ctx jsonb,
    OUT o_problem text
)
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_config jsonb := automation.fill_template(COALESCE(p_node.configuration, '{}'::jsonb), p_ctx);
    v_event text := CASE WHEN p_node.node_type = 'receive' THEN 'message' ELSE COALESCE(v_config ->> 'event', 'none') END;
    v_throw boolean := p_node.node_type = 'end' OR COALESCE((v_config ->> 'throw')::boolean, false);
    v_exec_id uuid;
    v_target varchar;
BEGIN
    -- (the start event of an event sub-process has fired already when a token reaches it)
    IF v_config ? 'attachedTo' OR v_event = 'none' OR (v_event = 'link' AND NOT v_throw)
       OR COALESCE((v_config ->> 'start')::boolean, false) THEN
        PERFORM automation.engine_record_visit(p_run.id, p_node.node_id, p_node.node_type, p_token.edge_id, NULL);
        o_problem := automation.engine_leave(p_token.id, p_run.workflow_id, p_node.node_id, p_node.node_type,
                                             v_config, NULL, p_ctx);
        RETURN;
    END IF;

    IF NOT v_throw THEN
        -- a catch: the token waits in a running step for its timer, message or signal
        INSERT INTO automation.workflow_executions (instance_id, node_id, step_type, status, started_at, input_data,
                                                    incoming_edge_id, created_at)
        VALUES (p_run.id, p_node.node_id, p_node.node_type, 'running', clock_timestamp(), v_config,
                p_token.edge_id, clock_timestamp())
        RETURNING id INTO v_exec_id;
        UPDATE automation.workflow_tokens SET state = 'waiting', execution_id = v_exec_id WHERE id = p_token.id;
        o_problem := automation.engine_subscribe(p_run, p_token.id, p_node, p_ctx);
        RETURN;
    END IF;

    PERFORM automation.engine_record_visit(p_run.id, p_node.node_id, p_node.node_type, p_token.edge_id,
                                           jsonb_strip_nulls(jsonb_build_object('event', v_event, 'name', v_config ->> 'name',
                                                                                'code', v_config ->> 'code')));
    IF v_event = 'link' THEN
        SELECT n.node_id INTO v_target
        FROM automation.workflow_nodes n
        WHERE n.workflow_id = p_run.workflow_id AND n.node_type = 'event'
          AND n.parent_node_id IS NOT DISTINCT FROM p_node.parent_node_id
          AND n.configuration ->> 'event' = 'link' AND NOT COALESCE((n.configuration ->> 'throw')::boolean, false)
          AND n.configuration ->> 'name' = v_config ->> 'name'
        ORDER BY n.node_id LIMIT 1;
        IF v_target IS NULL THEN
            o_problem := format('link event %s jumps to link %s, which no catching link event of its scope has',
                                p_node.node_id, quote_literal(v_config ->> 'name'));
        ELSE
            UPDATE automation.workflow_tokens SET node_id = v_target, edge_id = NULL, state = 'arrived' WHERE id = p_token.id;
        END IF;
        RETURN;
    ELSIF v_event = 'error' THEN
        -- the throwing token ends; the error looks for a catcher from its scope outwards
        DELETE FROM automation.workflow_tokens WHERE id = p_token.id;
        o_problem := automation.engine_throw(p_run, 'error', v_config ->> 'code', p_token.scope_token_id);
        RETURN;
    ELSIF v_event = 'cancel' THEN
        -- a cancel end: the transaction it lies in is cancelled and left by its cancel boundary event
        DELETE FROM automation.workflow_tokens WHERE id = p_token.id;
        o_problem := automation.engine_throw(p_run, 'cancel', NULL, p_token.scope_token_id);
        RETURN;
    ELSIF v_event = 'escalation' THEN
        o_problem := automation.engine_throw(p_run, 'escalation', v_config ->> 'code', p_token.scope_token_id);
    ELSIF v_event = 'signal' THEN
        PERFORM flowable.engine_deliver_signal(v_config ->> 'name', COALESCE(v_config -> 'variables', '{}'::jsonb));
    ELSIF v_event = 'message' THEN
        PERFORM flowable.engine_deliver_message(v_config ->> 'name', v_config ->> 'businessKey',
                                                CASE WHEN jsonb_typeof(v_config -> 'correlation') = 'object' THEN v_config -> 'correlation' END,
                                                COALESCE(v_config -> 'variables', '{}'::jsonb), false);
    END IF;
    IF o_problem IS NULL THEN
        IF p_node.node_type = 'end' THEN
            IF EXISTS (SELECT 1 FROM automation.workflow_tokens WHERE id = p_token.id) THEN
                o_problem := automation.engine_end_token(p_token.id, p_ctx);
            END IF;
        ELSIF EXISTS (SELECT 1 FROM automation.workflow_tokens WHERE id = p_token.id AND node_id = p_node.node_id) THEN
            o_problem := automation.engine_leave(p_token.id, p_run.workflow_id, p_node.node_id, p_node.node_type,
                                                 v_config, NULL, p_ctx);
        END IF;
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.engine_visit_event(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, jsonb) IS
    'Visits an event or receive task: catches wait on a timer/message/signal subscription, none and fired boundary events pass, link throws jump, signal/message throws send, error/escalation throws look for their boundary event.';

REVOKE ALL ON FUNCTION automation.engine_visit_event(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, jsonb) FROM PUBLIC;
