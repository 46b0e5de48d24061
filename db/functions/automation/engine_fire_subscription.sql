-- Engine rule: the event a subscription waits for has happened (a timer is due, a message was
-- correlated, a signal was sent); the caller holds the run's row. A catch event or receive task
-- completes and its token moves on; a boundary event interrupts its activity (the token moves
-- on from the boundary event) or, when it does not interrupt, starts a new token there (a timer
-- cycle is rescheduled while repetitions are left); an event-based gateway's target wins the
-- race: the gateway's other subscriptions go and the token leaves through the target; the start
-- of an event sub-process starts it in the scope it listens in (engine_start_event_subprocess;
-- a non-interrupting one keeps listening, a timer cycle rescheduled while repetitions are left). The
-- payload's variables are merged into the run's. Returns whether the event fired (a stopped or
-- paused run lets it wait). Called by fire_due_timers and the message and signal functions.
CREATE OR REPLACE FUNCTION automation.engine_fire_subscription(p_subscription_id bigint, p_payload jsonb DEFAULT '{}'::jsonb)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_sub automation.workflow_event_subscriptions;
    v_run automation.workflow_instances;
    v_token automation.workflow_tokens;
    v_node automation.workflow_nodes;
    v_ctx jsonb;
    v_vars jsonb := CASE WHEN jsonb_typeof(p_payload -> 'variables') = 'object' THEN p_payload -> 'variables' ELSE '{}'::jsonb END;
    v_inner boolean;
    v_problem text;
    v_next timestamptz;
    v_edge varchar;
BEGIN
    SELECT * INTO v_sub FROM automation.workflow_event_subscriptions WHERE id = p_subscription_id;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    SELECT * INTO v_run FROM automation.workflow_instances WHERE id = v_sub.instance_id;
    IF v_run.status <> 'running' THEN
        RETURN false;
    END IF;
    -- inside this run's own engine_advance (a signal it threw to itself), the advance goes on by itself
    v_inner := current_setting('pgwf.engine_batch', true) = v_run.id::text;
    SELECT * INTO v_token FROM automation.workflow_tokens WHERE id = v_sub.token_id;
    SELECT * INTO v_node FROM automation.workflow_nodes WHERE workflow_id = v_run.workflow_id AND node_id = v_sub.node_id;
    v_ctx := COALESCE(v_run.execution_context, '{}'::jsonb);
    v_ctx := jsonb_set(v_ctx, '{variables}', COALESCE(v_ctx -> 'variables', '{}'::jsonb) || v_vars);

    IF COALESCE((v_node.configuration ->> 'start')::boolean, false) THEN
        PERFORM automation.engine_start_event_subprocess(v_run, v_sub.token_id, v_node,
            format('interrupted by event sub-process %s (%s)', v_node.parent_node_id, v_sub.event_type));
        IF NOT COALESCE((v_node.configuration ->> 'interrupting')::boolean, true) AND v_sub.event_type = 'timer' THEN
            IF v_sub.timer ? 'cycle' AND COALESCE((v_sub.timer ->> 'remaining')::integer, 2) > 1 THEN
                v_next := automation.timer_next_due(v_sub.timer, v_sub.due_at, false);
            END IF;
            IF v_next IS NOT NULL THEN
                UPDATE automation.workflow_event_subscriptions
                SET due_at = v_next,
                    timer = CASE WHEN timer ? 'remaining' THEN jsonb_set(timer, '{remaining}', to_jsonb((timer ->> 'remaining')::integer - 1))
                                 ELSE timer END
                WHERE id = v_sub.id;
            ELSE
                DELETE FROM automation.workflow_event_subscriptions WHERE id = v_sub.id;
            END IF;
        END IF;
    ELSIF v_node.node_id = v_token.node_id THEN
        PERFORM automation.engine_complete_step_row(v_token.execution_id, p_payload);
        v_ctx := jsonb_set(v_ctx, ARRAY['steps', v_node.node_id::text], COALESCE(p_payload, '{}'::jsonb));
        v_problem := automation.engine_leave(v_token.id, v_run.workflow_id, v_node.node_id, v_node.node_type,
                                             COALESCE(v_node.configuration, '{}'::jsonb), NULL, v_ctx);
    ELSIF v_node.configuration ->> 'attachedTo' = v_token.node_id THEN
        IF COALESCE((v_node.configuration ->> 'interrupting')::boolean, true) THEN
            PERFORM automation.engine_interrupt_token(v_token.id,
                format('interrupted by boundary event %s (%s)', v_node.node_id, v_sub.event_type));
            UPDATE automation.workflow_tokens SET node_id = v_node.node_id, edge_id = NULL, state = 'arrived'
            WHERE id = v_token.id;
        ELSE
            INSERT INTO automation.workflow_tokens (instance_id, scope_token_id, node_id, state)
            VALUES (v_run.id, v_token.scope_token_id, v_node.node_id, 'arrived');
            IF v_sub.event_type = 'timer' AND v_sub.timer ? 'cycle' AND COALESCE((v_sub.timer ->> 'remaining')::integer, 2) > 1 THEN
                v_next := automation.timer_next_due(v_sub.timer, v_sub.due_at, false);
            END IF;
            IF v_next IS NOT NULL THEN
                UPDATE automation.workflow_event_subscriptions
                SET due_at = v_next,
                    timer = CASE WHEN timer ? 'remaining' THEN jsonb_set(timer, '{remaining}', to_jsonb((timer ->> 'remaining')::integer - 1))
                                 ELSE timer END
                WHERE id = v_sub.id;
            ELSE
                DELETE FROM automation.workflow_event_subscriptions WHERE id = v_sub.id;
            END IF;
        END IF;
    ELSE
        -- an event-based gateway: the first of its events wins, the others are dropped
        PERFORM automation.engine_complete_step_row(v_token.execution_id, jsonb_build_object('event', v_node.node_id));
        DELETE FROM automation.workflow_event_subscriptions WHERE token_id = v_token.id;
        SELECT e.edge_id INTO v_edge FROM automation.workflow_edges e
        WHERE e.workflow_id = v_run.workflow_id AND e.source_node_id = v_token.node_id AND e.target_node_id = v_node.node_id
        ORDER BY e.edge_id LIMIT 1;
        PERFORM automation.engine_record_visit(v_run.id, v_node.node_id, v_node.node_type, v_edge, p_payload);
        v_ctx := jsonb_set(v_ctx, ARRAY['steps', v_node.node_id::text], COALESCE(p_payload, '{}'::jsonb));
        UPDATE automation.workflow_tokens SET node_id = v_node.node_id, edge_id = v_edge, execution_id = NULL WHERE id = v_token.id;
        v_problem := automation.engine_leave(v_token.id, v_run.workflow_id, v_node.node_id, v_node.node_type,
                                             COALESCE(v_node.configuration, '{}'::jsonb), NULL, v_ctx);
    END IF;

    IF v_inner THEN
        IF v_problem IS NOT NULL THEN
            PERFORM automation.engine_fail_run(v_run.id, v_problem);
        END IF;
        RETURN true;
    END IF;
    UPDATE automation.workflow_instances SET execution_context = v_ctx WHERE id = v_run.id;
    IF v_problem IS NOT NULL THEN
        PERFORM automation.engine_fail_run(v_run.id, v_problem);
    ELSE
        PERFORM automation.engine_advance(v_run.id);
    END IF;
    RETURN true;
END;
$$;

COMMENT ON FUNCTION automation.engine_fire_subscription(bigint, jsonb) IS
    'Fires one event subscription of a running run (the caller holds the run): completes a catch event or receive task, interrupts or forks from a boundary event (rescheduling timer cycles), or takes an event-based gateway''s winning event; merges payload.variables and advances the run. false when the run is not running or the subscription is gone.';

REVOKE ALL ON FUNCTION automation.engine_fire_subscription(bigint, jsonb) FROM PUBLIC;
