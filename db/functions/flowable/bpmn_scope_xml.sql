-- The flow nodes and sequence flows of one scope of an exported graph (the process when
-- p_parent is NULL, else one sub-process), in graph order; a sub-process holds its own scope,
-- built by a recursive call. Called by flowable.bpmn_from_graph.
CREATE OR REPLACE FUNCTION flowable.bpmn_scope_xml(p_graph jsonb, p_parent text)
RETURNS xml
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_xml xml;
BEGIN
    -- one statement; the recursion is the nesting of sub-processes
    WITH k AS (
        SELECT * FROM flowable.bpmn_graph_layout(p_graph) l WHERE l.parent IS NOT DISTINCT FROM p_parent
    ), e AS (
        SELECT x.n AS ord, x.edge ->> 'id' AS id, x.edge ->> 'source' AS source, x.edge ->> 'target' AS target,
               nullif(x.edge ->> 'label', '') AS label, x.edge ->> 'sourceHandle' AS handle,
               coalesce((x.edge #>> '{data,default}')::boolean, false) AS is_default,
               x.edge #> '{data,conditions}' AS conditions
        FROM jsonb_array_elements(coalesce(p_graph -> 'edges', '[]'::jsonb)) WITH ORDINALITY AS x(edge, n)
        WHERE x.edge ->> 'source' IN (SELECT k.id FROM k)
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
                   (SELECT e.id FROM e WHERE e.source = k.id AND e.is_default ORDER BY e.ord LIMIT 1),
                   CASE WHEN k.node_type = 'subprocess' THEN flowable.bpmn_scope_xml(p_graph, k.id) END) AS x
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
    )
    SELECT xmlconcat((SELECT xmlagg(x ORDER BY ord) FROM node_xml), (SELECT xmlagg(x ORDER BY ord) FROM flow_xml))
    INTO v_xml;
    RETURN v_xml;
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_scope_xml(jsonb, text) IS
    'The BPMN flow elements and sequence flows of one scope of a graph (NULL: the process; else the sub-process with that node id), sub-processes nested.';

REVOKE ALL ON FUNCTION flowable.bpmn_scope_xml(jsonb, text) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_scope_xml(jsonb, text) TO pgwf_app;
