-- The root elements an exported document needs for its events: one bpmn:message, bpmn:signal,
-- bpmn:error (errorCode) or bpmn:escalation (escalationCode) for each distinct name or code
-- the graph's event, end, start and receive nodes use. Called by flowable.bpmn_from_graph.
CREATE OR REPLACE FUNCTION flowable.bpmn_event_roots_xml(p_graph jsonb)
RETURNS xml
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT xmlagg(CASE r.kind
                      WHEN 'message' THEN xmlelement(name "bpmn:message",
                          xmlattributes(flowable.bpmn_event_ref('Message', r.name) AS id, r.name AS name))
                      WHEN 'signal' THEN xmlelement(name "bpmn:signal",
                          xmlattributes(flowable.bpmn_event_ref('Signal', r.name) AS id, r.name AS name))
                      WHEN 'error' THEN xmlelement(name "bpmn:error",
                          xmlattributes(flowable.bpmn_event_ref('Error', r.name) AS id, r.name AS name, r.name AS "errorCode"))
                      WHEN 'escalation' THEN xmlelement(name "bpmn:escalation",
                          xmlattributes(flowable.bpmn_event_ref('Escalation', r.name) AS id, r.name AS name, r.name AS "escalationCode"))
                  END ORDER BY r.kind, r.name)
    FROM (SELECT DISTINCT
                 CASE WHEN n.node ->> 'type' = 'receive' THEN 'message' ELSE n.node #>> '{data,event}' END AS kind,
                 CASE WHEN n.node #>> '{data,event}' IN ('error', 'escalation') THEN n.node #>> '{data,code}'
                      ELSE n.node #>> '{data,name}' END AS name
          FROM jsonb_array_elements(p_graph -> 'nodes') n(node)
          WHERE n.node ->> 'type' IN ('event', 'end', 'trigger', 'receive')) r
    WHERE r.kind IN ('message', 'signal', 'error', 'escalation') AND nullif(r.name, '') IS NOT NULL;
$$;

COMMENT ON FUNCTION flowable.bpmn_event_roots_xml(jsonb) IS
    'bpmn:message/signal/error/escalation root elements for the names and codes a graph''s events use (ids from flowable.bpmn_event_ref).';

REVOKE ALL ON FUNCTION flowable.bpmn_event_roots_xml(jsonb) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_event_roots_xml(jsonb) TO pgwf_app;
