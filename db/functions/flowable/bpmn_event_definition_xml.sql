-- The event definition of an exported event (a graph node's data.event: timer, message, signal,
-- error, escalation, link, or terminate on an end node), as its BPMN element; NULL for a none
-- event. Messages, signals, errors and escalations refer to the root elements that
-- flowable.bpmn_event_roots_xml writes. Called by flowable.bpmn_node_xml.
CREATE OR REPLACE FUNCTION flowable.bpmn_event_definition_xml(p_data jsonb)
RETURNS xml
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_timer jsonb := p_data -> 'timer';
    v_kind text;
BEGIN
    IF coalesce((p_data ->> 'terminate')::boolean, false) THEN
        RETURN xmlelement(name "bpmn:terminateEventDefinition");
    END IF;
    CASE coalesce(p_data ->> 'event', 'none')
    WHEN 'timer' THEN
        v_kind := (SELECT k FROM jsonb_object_keys(coalesce(v_timer, '{}')) k WHERE k IN ('date', 'duration', 'cycle') LIMIT 1);
        RETURN xmlelement(name "bpmn:timerEventDefinition",
            CASE v_kind
                WHEN 'date' THEN xmlelement(name "bpmn:timeDate", xmlattributes('bpmn:tFormalExpression' AS "xsi:type"),
                                            regexp_replace(v_timer ->> 'date', '^\{\{\s*(.*?)\s*\}\}$', '${\1}'))
                WHEN 'duration' THEN xmlelement(name "bpmn:timeDuration", xmlattributes('bpmn:tFormalExpression' AS "xsi:type"),
                                                regexp_replace(v_timer ->> 'duration', '^\{\{\s*(.*?)\s*\}\}$', '${\1}'))
                WHEN 'cycle' THEN xmlelement(name "bpmn:timeCycle", xmlattributes('bpmn:tFormalExpression' AS "xsi:type"),
                                             regexp_replace(v_timer ->> 'cycle', '^\{\{\s*(.*?)\s*\}\}$', '${\1}'))
            END);
    WHEN 'message' THEN
        RETURN xmlelement(name "bpmn:messageEventDefinition",
                          xmlattributes(flowable.bpmn_event_ref('Message', p_data ->> 'name') AS "messageRef"));
    WHEN 'signal' THEN
        RETURN xmlelement(name "bpmn:signalEventDefinition",
                          xmlattributes(flowable.bpmn_event_ref('Signal', p_data ->> 'name') AS "signalRef"));
    WHEN 'error' THEN
        RETURN xmlelement(name "bpmn:errorEventDefinition",
                          xmlattributes(flowable.bpmn_event_ref('Error', p_data ->> 'code') AS "errorRef"));
    WHEN 'escalation' THEN
        RETURN xmlelement(name "bpmn:escalationEventDefinition",
                          xmlattributes(flowable.bpmn_event_ref('Escalation', p_data ->> 'code') AS "escalationRef"));
    WHEN 'cancel' THEN
        RETURN xmlelement(name "bpmn:cancelEventDefinition");
    WHEN 'link' THEN
        RETURN xmlelement(name "bpmn:linkEventDefinition", xmlattributes(p_data ->> 'name' AS name));
    ELSE
        RETURN NULL;
    END CASE;
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_event_definition_xml(jsonb) IS
    'The BPMN event definition element of a graph event''s data (timer with timeDate/timeDuration/timeCycle, message, signal, error, escalation, link, terminate); NULL for none.';

REVOKE ALL ON FUNCTION flowable.bpmn_event_definition_xml(jsonb) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_event_definition_xml(jsonb) TO pgwf_app;
