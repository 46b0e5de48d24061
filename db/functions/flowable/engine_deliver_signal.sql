-- Engine rule: a signal is broadcast. Every waiting signal catch of that name (intermediate
-- events, boundary events, event-based gateways), in every running run, fires, runs taken in
-- id order; every process whose start event is that signal starts. A signal nobody waits for
-- is lost (BPMN 2.0). Returns {"delivered", "started"}. Called by send_signal and by signal
-- throw and end events.
CREATE OR REPLACE FUNCTION flowable.engine_deliver_signal(p_name varchar, p_variables jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
-- internal: reached only from SECURITY DEFINER functions (it runs as their owner)
DECLARE
    v_sub record;
    v_delivered integer := 0;
    v_started uuid[];
BEGIN
    -- a loop: each catching run is locked (run first) and moved on its own
    FOR v_sub IN
        SELECT s.id, s.instance_id
        FROM automation.workflow_event_subscriptions s
        WHERE s.event_type = 'signal' AND s.event_name = p_name
        ORDER BY s.instance_id, s.id
    LOOP
        PERFORM 1 FROM automation.workflow_instances WHERE id = v_sub.instance_id FOR UPDATE;
        IF automation.engine_fire_subscription(v_sub.id, jsonb_build_object('signal', p_name,
                                                                           'variables', COALESCE(p_variables, '{}'::jsonb))) THEN
            v_delivered := v_delivered + 1;
        END IF;
    END LOOP;
    v_started := flowable.engine_start_by_event('signal', p_name, NULL, p_variables);
    RETURN jsonb_build_object('signal', p_name, 'delivered', v_delivered, 'started', to_jsonb(v_started));
END;
$$;

COMMENT ON FUNCTION flowable.engine_deliver_signal(varchar, jsonb) IS
    'Broadcasts a signal to every waiting catch of that name and starts the processes whose start event it is; returns {"signal", "delivered", "started"}.';

REVOKE ALL ON FUNCTION flowable.engine_deliver_signal(varchar, jsonb) FROM PUBLIC;
