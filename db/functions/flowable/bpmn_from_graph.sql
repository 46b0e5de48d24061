-- Exports a graph (React Flow JSON, docs/graph-model.md) as a BPMN 2.0 document
-- with diagram interchange (a shape per node, an edge per flow). Node kinds that
-- BPMN lacks (condition, approval, ...) and settings it cannot say travel in
-- pgwf:type / <pgwf:data>, so flowable.bpmn_compile reads back the same graph.
-- Called by flowable.export_bpmn and by deployment of drawn graphs.
CREATE OR REPLACE FUNCTION flowable.bpmn_from_graph(
    p_graph jsonb,
    p_process_key text,
    p_process_name text DEFAULT NULL,
    p_documentation text DEFAULT NULL
) RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_xml xml;
BEGIN
    IF p_graph IS NULL OR jsonb_typeof(p_graph -> 'nodes') IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = 'graph has no "nodes" array';
    END IF;
    IF p_process_key IS NULL OR p_process_key !~ '^[A-Za-z_][A-Za-z0-9_.-]*$' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = format('process key "%s" is not an XML name', coalesce(p_process_key, '')),
            HINT = 'a process key starts with a letter or _ and holds letters, digits, _, . and -';
    END IF;

    WITH n AS (
        SELECT x.n AS ord, x.node ->> 'id' AS id, x.node ->> 'type' AS node_type,
               coalesce(x.node -> 'data', '{}'::jsonb) AS data,
               coalesce((x.node #>> '{position,x}')::numeric, 0) AS px,
               coalesce((x.node #>> '{position,y}')::numeric, 0) AS py
        FROM jsonb_array_elements(p_graph -> 'nodes') WITH ORDINALITY AS x(node, n)
    ), k AS (
        -- the BPMN element of each node type, its diagram size, and whether
        -- its data says more than the element's standard attributes can
        SELECT n.*,
               CASE n.node_type
                   WHEN 'trigger' THEN 'startEvent' WHEN 'end' THEN 'endEvent'
                   WHEN 'task' THEN 'userTask' WHEN 'approval' THEN 'userTask'
                   WHEN 'action' THEN 'serviceTask' WHEN 'integration' THEN 'serviceTask'
                   WHEN 'notification' THEN 'sendTask' WHEN 'condition' THEN 'exclusiveGateway'
                   WHEN 'gateway' THEN coalesce(n.data ->> 'kind', 'exclusive') || 'Gateway'
               END AS element,
               n.node_type NOT IN ('trigger', 'end', 'task', 'action', 'gateway') AS foreign_type,
               CASE n.node_type
                   WHEN 'trigger' THEN (n.data - ARRAY['label', 'documentation']) <> '{"triggerType": "manual"}'
                                       AND (n.data - ARRAY['label', 'documentation']) <> '{}'
                   WHEN 'end' THEN (n.data - ARRAY['label', 'documentation', 'terminate']) <> '{}'
                   WHEN 'gateway' THEN (n.data - ARRAY['label', 'documentation', 'kind']) <> '{}'
                                       OR coalesce(n.data ->> 'kind', 'exclusive') NOT IN ('exclusive', 'parallel', 'inclusive')
                   WHEN 'task' THEN (n.data - ARRAY['label', 'documentation', 'queueName', 'candidateGroups', 'candidateUsers',
                                                    'assignee', 'priority', 'dueInMinutes', 'dueDate', 'formKey']) <> '{}'
                                    OR coalesce(jsonb_typeof(n.data -> 'candidateGroups'), 'array') <> 'array'
                                    OR coalesce(jsonb_typeof(n.data -> 'candidateUsers'), 'array') <> 'array'
                                    OR n.data -> 'candidateGroups' = '[]' OR n.data -> 'candidateUsers' = '[]'
                                    OR coalesce(jsonb_typeof(n.data -> 'dueInMinutes'), 'number') <> 'number'
                                    OR coalesce(jsonb_typeof(n.data -> 'priority'), 'number') NOT IN ('number', 'string')
                   WHEN 'action' THEN (n.data - ARRAY['label', 'documentation', 'connector']) <> '{}'
                   ELSE true
               END AS needs_data,
               CASE WHEN n.node_type IN ('trigger', 'end') THEN 36
                    WHEN n.node_type IN ('gateway', 'condition') THEN 50 ELSE 100 END AS w,
               CASE WHEN n.node_type IN ('trigger', 'end') THEN 36
                    WHEN n.node_type IN ('gateway', 'condition') THEN 50 ELSE 80 END AS h
        FROM n
    ), e AS (
        SELECT x.n AS ord, x.edge ->> 'id' AS id, x.edge ->> 'source' AS source, x.edge ->> 'target' AS target,
               nullif(x.edge ->> 'label', '') AS label, x.edge ->> 'sourceHandle' AS handle,
               coalesce((x.edge #>> '{data,default}')::boolean, false) AS is_default,
               x.edge #> '{data,conditions}' AS conditions
        FROM jsonb_array_elements(coalesce(p_graph -> 'edges', '[]'::jsonb)) WITH ORDINALITY AS x(edge, n)
    ), ec AS (
        SELECT e.*,
               CASE WHEN jsonb_typeof(e.conditions) = 'array' AND jsonb_array_length(e.conditions) > 0 THEN
                   flowable.bpmn_condition_expression(
                       CASE WHEN jsonb_array_length(e.conditions) = 1 THEN e.conditions -> 0
                            ELSE jsonb_build_object('all', e.conditions) END)
               END AS expression
        FROM e
    ), node_xml AS (
        SELECT k.ord,
               flowable.bpmn_node_xml(
                   k.element, k.id, coalesce(k.data ->> 'label', k.id), k.data, k.node_type,
                   k.foreign_type, k.needs_data,
                   (SELECT e.id FROM e WHERE e.source = k.id AND e.is_default ORDER BY e.ord LIMIT 1)) AS x
        FROM k
    ), flow_xml AS (
        SELECT ec.ord,
               xmlelement(name "bpmn:sequenceFlow",
                   xmlattributes(ec.id AS id, ec.label AS name, ec.source AS "sourceRef", ec.target AS "targetRef",
                                 ec.handle AS "pgwf:sourceHandle"),
                   CASE WHEN ec.conditions IS NOT NULL AND jsonb_array_length(ec.conditions) > 0 AND ec.expression IS NULL THEN
                       xmlelement(name "bpmn:extensionElements",
                                  xmlelement(name "pgwf:conditions", ec.conditions::text)) END,
                   CASE WHEN ec.expression IS NOT NULL AND ec.handle IS NULL THEN
                       xmlelement(name "bpmn:conditionExpression",
                                  xmlattributes('bpmn:tFormalExpression' AS "xsi:type"), ec.expression) END
               ) AS x
        FROM ec
    ), shapes AS (
        SELECT k.ord,
               xmlelement(name "bpmndi:BPMNShape",
                   xmlattributes('shape_' || k.id AS id, k.id AS "bpmnElement"),
                   xmlelement(name "dc:Bounds", xmlattributes(round(k.px) AS x, round(k.py) AS y, k.w AS width, k.h AS height))) AS x
        FROM k
    ), edges_di AS (
        SELECT ec.ord,
               xmlelement(name "bpmndi:BPMNEdge",
                   xmlattributes('edge_' || ec.id AS id, ec.id AS "bpmnElement"),
                   xmlelement(name "di:waypoint", xmlattributes(round(s.px + s.w) AS x, round(s.py + s.h / 2.0) AS y)),
                   xmlelement(name "di:waypoint", xmlattributes(round(t.px) AS x, round(t.py + t.h / 2.0) AS y))) AS x
        FROM ec JOIN k s ON s.id = ec.source JOIN k t ON t.id = ec.target
    )
    SELECT xmlelement(name "bpmn:definitions",
        xmlattributes(
            'http://www.omg.org/spec/BPMN/20100524/MODEL' AS "xmlns:bpmn",
            'http://www.omg.org/spec/BPMN/20100524/DI' AS "xmlns:bpmndi",
            'http://www.omg.org/spec/DD/20100524/DC' AS "xmlns:dc",
            'http://www.omg.org/spec/DD/20100524/DI' AS "xmlns:di",
            'http://www.w3.org/2001/XMLSchema-instance' AS "xmlns:xsi",
            'http://flowable.org/bpmn' AS "xmlns:flowable",
            'urn:pgwf:bpmn' AS "xmlns:pgwf",
            'definitions_' || p_process_key AS id,
            'urn:pgwf:processes' AS "targetNamespace",
            'pgwf' AS exporter),
        xmlelement(name "bpmn:process",
            xmlattributes(p_process_key AS id, coalesce(p_process_name, p_process_key) AS name, 'true' AS "isExecutable"),
            CASE WHEN nullif(btrim(p_documentation), '') IS NOT NULL THEN
                xmlelement(name "bpmn:documentation", p_documentation) END,
            (SELECT xmlagg(x ORDER BY ord) FROM node_xml),
            (SELECT xmlagg(x ORDER BY ord) FROM flow_xml)),
        xmlelement(name "bpmndi:BPMNDiagram", xmlattributes('diagram_' || p_process_key AS id),
            xmlelement(name "bpmndi:BPMNPlane", xmlattributes('plane_' || p_process_key AS id, p_process_key AS "bpmnElement"),
                (SELECT xmlagg(x ORDER BY ord) FROM shapes),
                (SELECT xmlagg(x ORDER BY ord) FROM edges_di))))
    INTO v_xml;

    RETURN '<?xml version="1.0" encoding="UTF-8"?>' || E'\n' || v_xml::text;
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_from_graph(jsonb, text, text, text) IS
    'Writes a React Flow graph as BPMN 2.0 XML with diagram interchange; flowable.bpmn_compile reads it back into an equivalent graph.';

REVOKE ALL ON FUNCTION flowable.bpmn_from_graph(jsonb, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.bpmn_from_graph(jsonb, text, text, text) TO pgwf_app;
