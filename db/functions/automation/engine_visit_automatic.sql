-- Engine rule: a visit of a node that does its work at once and moves on: trigger (records the
-- start input), condition (evaluates), a gateway that does not join (routes), notification (an
-- outbox row), manual task, a disabled node (skipped), an end event (the token ends; a
-- terminating end is reported to engine_advance). Writes one completed step row.
-- Called by engine_advance.
CREATE OR REPLACE FUNCTION automation.engine_visit_automatic(
    p_run automation.workflow_instances,
    p_token automation.workflow_tokens,
    p_node automation.workflow_nodes,
    INOUT p_ctx jsonb,
    OUT o_problem text,
    OUT o_terminate boolean
)
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_config jsonb := COALESCE(p_node.configuration, '{}'::jsonb);
    v_now timestamptz := clock_timestamp();
    v_outcome varchar;
    v_output jsonb := '{}'::jsonb;
    v_exec_id uuid;
    v_notification_id uuid;
BEGIN
    o_terminate := false;
    IF NOT p_node.is_enabled THEN
        -- passed through without its work; an outcome node takes its first outcome
        v_outcome := CASE p_node.node_type WHEN 'condition' THEN 'true' WHEN 'approval' THEN 'approved' END;
    ELSIF p_node.node_type = 'trigger' THEN
        v_output := COALESCE(p_ctx -> 'input', '{}'::jsonb);
    ELSIF p_node.node_type = 'condition' THEN
        v_outcome := CASE WHEN automation.evaluate_condition(v_config -> 'condition', p_ctx) THEN 'true' ELSE 'false' END;
        v_output := jsonb_build_object('result', v_outcome = 'true');
    ELSIF p_node.node_type = 'notification' THEN
        -- the outbox row is written after the step row, which it names
        v_notification_id := gen_random_uuid();
        v_output := jsonb_build_object('notification_id', v_notification_id);
    ELSIF p_node.node_type = 'end' THEN
        o_terminate := COALESCE((v_config ->> 'terminate')::boolean, false);
    END IF;

    INSERT INTO automation.workflow_executions (instance_id, node_id, step_type, status, started_at,
                                                completed_at, duration_ms, input_data, output_data,
                                                incoming_edge_id, created_at)
    VALUES (p_run.id, p_node.node_id, p_node.node_type,
            CASE WHEN p_node.is_enabled THEN 'completed' ELSE 'skipped' END,
            v_now, clock_timestamp(),
            floor(extract(epoch FROM (clock_timestamp() - v_now)) * 1000)::integer,
            CASE WHEN p_node.node_type = 'trigger' THEN p_ctx -> 'input' END,
            v_output, p_token.edge_id, v_now)
    RETURNING id INTO v_exec_id;
    IF v_notification_id IS NOT NULL THEN
        INSERT INTO automation.workflow_notifications (id, workflow_id, instance_id, execution_id, notification_type, channel,
                                                       recipients, subject, message, notification_data)
        VALUES (v_notification_id, p_run.workflow_id, p_run.id, v_exec_id,
                left(COALESCE(v_config ->> 'notificationType', 'step_complete'), 50),
                COALESCE(v_config ->> 'channel', 'email'),
                automation.fill_template(v_config -> 'recipients', p_ctx),
                left(automation.fill_template(v_config -> 'subject', p_ctx) #>> '{}', 255),
                automation.fill_template(v_config -> 'message', p_ctx) #>> '{}',
                jsonb_build_object('template', v_config -> 'template', 'node_id', p_node.node_id,
                                   'variables', p_ctx -> 'variables'));
    END IF;
    p_ctx := jsonb_set(p_ctx, ARRAY['steps', p_node.node_id::text], v_output);

    IF o_terminate THEN
        IF p_token.scope_token_id IS NULL THEN
            RETURN;  -- the whole run ends: engine_advance closes the rest
        END IF;
        -- a terminate end inside a sub-process ends that sub-process only
        o_terminate := false;
        PERFORM automation.engine_cancel_tokens(
            ARRAY(SELECT t.id FROM automation.workflow_tokens t
                  WHERE t.scope_token_id = p_token.scope_token_id AND t.id <> p_token.id),
            format('sub-process terminated by end node %s', p_node.node_id));
        o_problem := automation.engine_end_token(p_token.id, p_ctx);
    ELSIF p_node.node_type = 'end' THEN
        o_problem := automation.engine_end_token(p_token.id, p_ctx);
    ELSE
        o_problem := automation.engine_leave(p_token.id, p_run.workflow_id, p_node.node_id, p_node.node_type,
                                             v_config, v_outcome, p_ctx);
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.engine_visit_automatic(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, jsonb) IS
    'Visits a node that completes at once (trigger, condition, non-joining gateway, notification, manual task, end, any disabled node): one completed (or skipped) step row, the output in the context''s $steps, then the token moves on or ends. o_terminate: a terminating end at the top level.';

REVOKE ALL ON FUNCTION automation.engine_visit_automatic(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, jsonb) FROM PUBLIC;
