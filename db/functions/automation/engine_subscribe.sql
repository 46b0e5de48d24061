-- Engine rule: a token starts waiting for the event of a catching node (an intermediate catch
-- event, a receive task, a boundary event of the activity the token is in, an event-based
-- gateway's target): a timer gets its due time, a message or signal its name, each filled from
-- the run's data. Returns a problem (a timer or name that is wrong once filled) or NULL.
-- Called by engine_visit_event, engine_subscribe_boundaries and the event-based gateway.
CREATE OR REPLACE FUNCTION automation.engine_subscribe(
    p_run automation.workflow_instances,
    p_token_id bigint,
    p_node automation.workflow_nodes,
    p_ctx jsonb
)
RETURNS text
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_config jsonb := automation.fill_template(COALESCE(p_node.configuration, '{}'::jsonb), p_ctx);
    v_event text := CASE WHEN p_node.node_type = 'receive' THEN 'message' ELSE v_config ->> 'event' END;
    v_timer jsonb;
    v_problem text;
    v_due timestamptz;
    v_cycle text;
BEGIN
    IF v_event = 'timer' THEN
        v_timer := v_config -> 'timer';
        v_problem := automation.timer_problem(v_timer);
        IF v_problem IS NULL THEN
            v_due := automation.timer_next_due(v_timer, clock_timestamp(), true);
            IF v_due IS NULL THEN
                v_problem := 'the timer has no due time';
            END IF;
        END IF;
        IF v_problem IS NOT NULL THEN
            RETURN format('timer event %s: %s', p_node.node_id, v_problem);
        END IF;
        v_cycle := v_timer ->> 'cycle';
        INSERT INTO automation.workflow_event_subscriptions (instance_id, token_id, node_id, event_type, due_at, timer)
        VALUES (p_run.id, p_token_id, p_node.node_id, 'timer', v_due,
                v_timer || CASE WHEN v_cycle ~ '^R\d+/' THEN jsonb_build_object('remaining', substring(v_cycle FROM '^R(\d+)/')::integer)
                                ELSE '{}'::jsonb END);
    ELSIF v_event IN ('message', 'signal') THEN
        IF COALESCE(btrim(v_config ->> 'name'), '') = '' THEN
            RETURN format('%s event %s has no name once filled from the run''s data', v_event, p_node.node_id);
        END IF;
        INSERT INTO automation.workflow_event_subscriptions (instance_id, token_id, node_id, event_type, event_name, correlation)
        VALUES (p_run.id, p_token_id, p_node.node_id, v_event, left(btrim(v_config ->> 'name'), 255),
                CASE WHEN jsonb_typeof(v_config -> 'correlation') = 'object' THEN v_config -> 'correlation' END);
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.engine_subscribe(automation.workflow_instances, bigint, automation.workflow_nodes, jsonb) IS
    'Subscribes a token to the timer, message or signal of a catching node (its settings filled from the run''s data); returns the problem when the timer or name is wrong.';

REVOKE ALL ON FUNCTION automation.engine_subscribe(automation.workflow_instances, bigint, automation.workflow_nodes, jsonb) FROM PUBLIC;
