-- Exports a graph (React Flow JSON, docs/graph-model.md) as a BPMN 2.0 document
-- with diagram interchange (a shape per node, an edge per flow; sub-processes nested,
-- their shapes expanded and the root messages, signals, errors and escalations declared). Node kinds that
-- BPMN lacks (condition, approval, ...) and settings it cannot say travel in
-- pgwf:type / <pgwf:data>, so flowable.bpmn_compile reads back the same graph.
-- Called by flowable.export_bpmn and by deployment of drawn graphs.
CREATE OR REPLACE FUNCTION flowable.bpmn_from_graph(
    p_graph jsonb,
    p_process_key text,
    p_process_name text DEFAULT NULL,
    p_documentation text DEFAULT NULL,
    p_history_ttl_days integer DEFAULT NULL
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

    WITH k AS (
        SELECT * FROM flowable.bpmn_graph_layout(p_graph)
    ), e AS (
        SELECT x.n AS ord, x.edge ->> 'id' AS id, x.edge ->> 'source' AS source, x.edge ->> 'target' AS target
        FROM jsonb_array_elements(coalesce(p_graph -> 'edges', '[]'::jsonb)) WITH ORDINALITY AS x(edge, n)
    ), shapes AS (
        SELECT k.ord,
               xmlelement(name "bpmndi:BPMNShape",
                   xmlattributes('shape_' || k.id AS id, k.id AS "bpmnElement",
                                 CASE WHEN k.node_type = 'subprocess' THEN 'true' END AS "isExpanded"),
                   xmlelement(name "dc:Bounds", xmlattributes(round(k.x) AS x, round(k.y) AS y, k.w AS width, k.h AS height))) AS x
        FROM k
    ), edges_di AS (
        SELECT e.ord,
               xmlelement(name "bpmndi:BPMNEdge",
                   xmlattributes('edge_' || e.id AS id, e.id AS "bpmnElement"),
                   xmlelement(name "di:waypoint", xmlattributes(round(s.x + s.w) AS x, round(s.y + s.h / 2.0) AS y)),
                   xmlelement(name "di:waypoint", xmlattributes(round(t.x) AS x, round(t.y + t.h / 2.0) AS y))) AS x
        FROM e JOIN k s ON s.id = e.source JOIN k t ON t.id = e.target
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
        flowable.bpmn_event_roots_xml(p_graph),
        xmlelement(name "bpmn:process",
            xmlattributes(p_process_key AS id, coalesce(p_process_name, p_process_key) AS name, 'true' AS "isExecutable",
                          p_history_ttl_days AS "flowable:historyTimeToLive"),
            CASE WHEN nullif(btrim(p_documentation), '') IS NOT NULL THEN
                xmlelement(name "bpmn:documentation", p_documentation) END,
            flowable.bpmn_scope_xml(p_graph, NULL)),
        xmlelement(name "bpmndi:BPMNDiagram", xmlattributes('diagram_' || p_process_key AS id),
            xmlelement(name "bpmndi:BPMNPlane", xmlattributes('plane_' || p_process_key AS id, p_process_key AS "bpmnElement"),
                (SELECT xmlagg(x ORDER BY ord) FROM shapes),
                (SELECT xmlagg(x ORDER BY ord) FROM edges_di))))
    INTO v_xml;

    RETURN '<?xml version="1.0" encoding="UTF-8"?>' || E'\n' || v_xml::text;
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_from_graph(jsonb, text, text, text, integer) IS
    'Writes a React Flow graph as BPMN 2.0 XML with diagram interchange (p_history_ttl_days as flowable:historyTimeToLive on the process); flowable.bpmn_compile reads it back into an equivalent graph and process.';

REVOKE ALL ON FUNCTION flowable.bpmn_from_graph(jsonb, text, text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.bpmn_from_graph(jsonb, text, text, text, integer) TO pgwf_app;
