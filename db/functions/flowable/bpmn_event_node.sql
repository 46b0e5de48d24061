-- The graph node type and data of a BPMN event, of an embedded sub-process, a manual, plain or
-- receive task, or an event-based gateway (docs/bpmn.md, "Events and scopes"). p_el is the
-- element as flowable.bpmn_compile reads it, p_decl the document's declarations
-- (flowable.bpmn_declarations). A reference is read without its namespace prefix (tns:x is x);
-- one to no declaration stands for itself, as Flowable matches it. NULL for any other element. Called by flowable.bpmn_compile.
CREATE OR REPLACE FUNCTION flowable.bpmn_event_node(p_el jsonb, p_decl jsonb)
RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_kind text := p_el ->> 'kind';
    v_event text := CASE p_el ->> 'event_def'
                        WHEN 'timerEventDefinition' THEN 'timer' WHEN 'messageEventDefinition' THEN 'message'
                        WHEN 'signalEventDefinition' THEN 'signal' WHEN 'errorEventDefinition' THEN 'error'
                        WHEN 'escalationEventDefinition' THEN 'escalation' WHEN 'linkEventDefinition' THEN 'link'
                        WHEN 'cancelEventDefinition' THEN 'cancel'
                        ELSE 'none' END;
    v_message text := coalesce(p_decl #>> ARRAY['message', regexp_replace(p_el ->> 'message_ref', '^[^:]*:', '')], nullif(btrim(regexp_replace(p_el ->> 'message_ref', '^[^:]*:', '')), ''));
    v_data jsonb;
BEGIN
    v_data := jsonb_strip_nulls(jsonb_build_object(
        'event', v_event,
        -- a date helper in timeDate or timeDuration (${now() + 'PT1H'}) is that duration from the timer's start
        'timer', CASE WHEN v_event = 'timer' AND flowable.bpmn_date_offset(coalesce(p_el ->> 'time_date', p_el ->> 'time_duration')) ? 'seconds'
                      THEN jsonb_build_object('duration', 'PT' || (flowable.bpmn_date_offset(coalesce(p_el ->> 'time_date', p_el ->> 'time_duration')) ->> 'seconds') || 'S')
                      WHEN v_event = 'timer' THEN jsonb_strip_nulls(jsonb_build_object(
                     'date', flowable.bpmn_value_template(p_el ->> 'time_date'),
                     'duration', flowable.bpmn_value_template(p_el ->> 'time_duration'),
                     'cycle', flowable.bpmn_value_template(p_el ->> 'time_cycle'))) END,
        'name', CASE v_event
                    WHEN 'message' THEN v_message
                    WHEN 'signal' THEN coalesce(p_decl #>> ARRAY['signal', regexp_replace(p_el ->> 'signal_ref', '^[^:]*:', '')], nullif(btrim(regexp_replace(p_el ->> 'signal_ref', '^[^:]*:', '')), ''))
                    WHEN 'link' THEN nullif(btrim(p_el ->> 'link_name'), '') END,
        'code', CASE v_event
                    WHEN 'error' THEN coalesce(p_decl #>> ARRAY['error', regexp_replace(p_el ->> 'error_ref', '^[^:]*:', '')], nullif(btrim(regexp_replace(p_el ->> 'error_ref', '^[^:]*:', '')), ''))
                    WHEN 'escalation' THEN coalesce(p_decl #>> ARRAY['escalation', regexp_replace(p_el ->> 'escalation_ref', '^[^:]*:', '')],
                                                    nullif(btrim(regexp_replace(p_el ->> 'escalation_ref', '^[^:]*:', '')), '')) END));
    RETURN CASE v_kind
        WHEN 'startEvent' THEN
            CASE WHEN p_el ->> 'scope_id' IS NULL
                 THEN jsonb_build_object('type', 'trigger', 'data', jsonb_build_object('triggerType', 'manual')
                                                                    || CASE WHEN v_event <> 'none' THEN v_data ELSE '{}' END)
                 -- inside an event sub-process the start names what starts it
                 WHEN btrim(coalesce(p_el ->> 'scope_triggered', 'false')) = 'true'
                 THEN jsonb_build_object('type', 'event', 'data', v_data || jsonb_build_object(
                          'start', true, 'interrupting', btrim(coalesce(p_el ->> 'is_interrupting', 'true')) <> 'false'))
                 ELSE jsonb_build_object('type', 'event', 'data', jsonb_build_object('event', 'none', 'start', true)) END
        WHEN 'endEvent' THEN
            jsonb_build_object('type', 'end', 'data', jsonb_build_object('terminate', coalesce((p_el ->> 'terminate')::boolean, false))
                                                      || CASE WHEN v_event <> 'none' THEN v_data ELSE '{}' END)
        WHEN 'boundaryEvent' THEN
            jsonb_build_object('type', 'event', 'data', v_data || jsonb_build_object(
                'attachedTo', p_el ->> 'attached_to',
                'interrupting', coalesce(btrim(p_el ->> 'cancel_activity'), 'true') <> 'false'))
        WHEN 'intermediateCatchEvent' THEN jsonb_build_object('type', 'event', 'data', v_data)
        WHEN 'intermediateThrowEvent' THEN jsonb_build_object('type', 'event', 'data', v_data || '{"throw": true}')
        WHEN 'subProcess' THEN jsonb_build_object('type', 'subprocess', 'data',
                                   CASE WHEN btrim(coalesce(p_el ->> 'triggered_by_event', 'false')) = 'true'
                                        THEN '{"triggeredByEvent": true}'::jsonb ELSE '{}'::jsonb END)
        -- a transaction runs as an embedded scope that its cancel end event cancels
        WHEN 'transaction' THEN jsonb_build_object('type', 'subprocess', 'data', '{"transaction": true}'::jsonb)
        WHEN 'manualTask' THEN jsonb_build_object('type', 'manual', 'data', '{}'::jsonb)
        WHEN 'task' THEN jsonb_build_object('type', 'manual', 'data', '{}'::jsonb)
        -- a receive task without messageRef waits for a message named after its own id
        WHEN 'receiveTask' THEN jsonb_build_object('type', 'receive', 'data', jsonb_build_object('name', coalesce(v_message, p_el ->> 'id')))
        WHEN 'eventBasedGateway' THEN jsonb_build_object('type', 'gateway', 'data', '{"kind": "eventBased"}'::jsonb)
    END;
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_event_node(jsonb, jsonb) IS
    'Graph node {"type", "data"} of a BPMN start/end/boundary/intermediate event, subProcess, manualTask, task, receiveTask or eventBasedGateway, with the event''s timer, message or signal name and error or escalation code resolved through the document''s declarations; NULL for other elements.';

REVOKE ALL ON FUNCTION flowable.bpmn_event_node(jsonb, jsonb) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_event_node(jsonb, jsonb) TO pgwf_app;
