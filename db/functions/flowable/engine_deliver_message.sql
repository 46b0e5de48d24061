-- Engine rule: a message is delivered. It goes to the one waiting catch (an intermediate message
-- event, a receive task, a message boundary event, an event-based gateway's message) whose name
-- matches, whose run has the business key (when one is given) and whose run's variables hold
-- every value of the correlation; a catch that names a correlation of its own needs the message
-- to carry it. With no catch it starts the processes whose start event is that message. With
-- several catches, p_strict (a caller's correlate_message) refuses with PW409; a message thrown
-- by a process goes to the oldest. A message nobody waits for is lost (BPMN 2.0). Returns
-- {"correlated", "instance_id", "node_id"} or {"correlated": false, "started": [...], "reason"}.
-- Called by correlate_message and by message throw and end events.
CREATE OR REPLACE FUNCTION flowable.engine_deliver_message(
    p_name varchar, p_business_key varchar, p_correlation jsonb, p_variables jsonb, p_strict boolean
)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
-- internal: reached only from SECURITY DEFINER functions (it runs as their owner)
DECLARE
    v_matches bigint[];
    v_sub automation.workflow_event_subscriptions;
    v_started uuid[];
BEGIN
    SELECT COALESCE(array_agg(s.id ORDER BY s.created_at, s.id), '{}') INTO v_matches
    FROM automation.workflow_event_subscriptions s
    JOIN automation.workflow_instances wi ON wi.id = s.instance_id
    JOIN flowable.process_instances pi ON pi.process_instance_id = s.instance_id::text
    WHERE s.event_type = 'message' AND s.event_name = p_name AND wi.status = 'running'
      AND (p_business_key IS NULL OR pi.business_key = p_business_key)
      AND (p_correlation IS NULL OR COALESCE(wi.execution_context -> 'variables', '{}'::jsonb) @> p_correlation)
      AND (s.correlation IS NULL OR COALESCE(p_correlation, '{}'::jsonb) @> s.correlation);
    IF cardinality(v_matches) > 1 AND p_strict THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('message %s matches %s waiting catches; it must match one', quote_literal(p_name), cardinality(v_matches)),
            HINT = 'Give the business key or a correlation (variables the one run holds) that tells them apart.';
    END IF;
    IF cardinality(v_matches) >= 1 THEN
        SELECT * INTO v_sub FROM automation.workflow_event_subscriptions WHERE id = v_matches[1];
        -- the engine's lock order: the run first, then what it waits for
        PERFORM 1 FROM automation.workflow_instances WHERE id = v_sub.instance_id FOR UPDATE;
        IF automation.engine_fire_subscription(v_sub.id, jsonb_build_object('message', p_name, 'variables', COALESCE(p_variables, '{}'::jsonb))) THEN
            RETURN jsonb_build_object('correlated', true, 'instance_id', v_sub.instance_id, 'node_id', v_sub.node_id);
        END IF;
    END IF;
    v_started := flowable.engine_start_by_event('message', p_name, p_business_key, p_variables);
    IF cardinality(v_started) > 0 THEN
        RETURN jsonb_build_object('correlated', true, 'started', to_jsonb(v_started));
    END IF;
    RETURN jsonb_build_object('correlated', false, 'started', '[]'::jsonb,
                              'reason', format('no run waits for message %s with this business key and correlation, and no process starts on it',
                                               p_name));
END;
$$;

COMMENT ON FUNCTION flowable.engine_deliver_message(varchar, varchar, jsonb, jsonb, boolean) IS
    'Delivers a message to the one matching catch (name, business key, correlation), else starts the processes with that message start event; PW409 for several matches when strict. Returns what happened.';

REVOKE ALL ON FUNCTION flowable.engine_deliver_message(varchar, varchar, jsonb, jsonb, boolean) FROM PUBLIC;
