-- One flow node of an exported BPMN document (xmlelement needs a constant
-- element name, hence one branch per BPMN element); p_content is what a subProcess holds. Called by flowable.bpmn_from_graph.
CREATE OR REPLACE FUNCTION flowable.bpmn_node_xml(
    p_element text,
    p_id text,
    p_name text,
    p_data jsonb,
    p_node_type text,
    p_foreign_type boolean,
    p_needs_data boolean,
    p_default_flow text,
    p_content xml DEFAULT NULL
) RETURNS xml
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_type text := CASE WHEN p_foreign_type THEN p_node_type END;
    v_doc xml := CASE WHEN nullif(btrim(p_data ->> 'documentation'), '') IS NOT NULL
                      THEN xmlelement(name "bpmn:documentation", p_data ->> 'documentation') END;
    v_ext xml := CASE WHEN p_needs_data
                      THEN xmlelement(name "bpmn:extensionElements",
                                      xmlelement(name "pgwf:data", (p_data - 'label')::text)) END;
    v_groups text;
    v_users text;
BEGIN
    IF p_element = 'userTask' THEN
        -- lists are written comma separated; "{{x}}" templates go back to ${x}
        SELECT string_agg(regexp_replace(g, '^\{\{\s*(.*?)\s*\}\}$', '${\1}'), ',' ORDER BY n) INTO v_groups
        FROM jsonb_array_elements_text(CASE WHEN p_node_type = 'approval' THEN jsonb_build_array(p_data ->> 'approverRole')
                                            WHEN jsonb_typeof(p_data -> 'candidateGroups') = 'array' THEN p_data -> 'candidateGroups'
                                            ELSE '[]' END) WITH ORDINALITY AS x(g, n)
        WHERE g IS NOT NULL;
        SELECT string_agg(regexp_replace(u, '^\{\{\s*(.*?)\s*\}\}$', '${\1}'), ',' ORDER BY n) INTO v_users
        FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(p_data -> 'candidateUsers') = 'array'
                                            THEN p_data -> 'candidateUsers' ELSE '[]' END) WITH ORDINALITY AS x(u, n);
        RETURN xmlelement(name "bpmn:userTask",
            xmlattributes(p_id AS id, p_name AS name,
                v_groups AS "flowable:candidateGroups",
                v_users AS "flowable:candidateUsers",
                regexp_replace(p_data ->> 'assignee', '^\{\{\s*(.*?)\s*\}\}$', '${\1}') AS "flowable:assignee",
                regexp_replace(p_data ->> 'priority', '^\{\{\s*(.*?)\s*\}\}$', '${\1}') AS "flowable:priority",
                coalesce(regexp_replace(p_data ->> 'dueDate', '^\{\{\s*(.*?)\s*\}\}$', '${\1}'),
                         'PT' || (p_data ->> 'dueInMinutes') || 'M') AS "flowable:dueDate",
                p_data ->> 'formKey' AS "flowable:formKey",
                p_data ->> 'queueName' AS "pgwf:queue",
                v_type AS "pgwf:type"),
            v_doc, v_ext);
    ELSIF p_element = 'serviceTask' THEN
        RETURN xmlelement(name "bpmn:serviceTask",
            xmlattributes(p_id AS id, p_name AS name, 'external-worker' AS "flowable:type",
                          coalesce(p_data ->> 'connector', p_node_type) AS "flowable:topic", v_type AS "pgwf:type"),
            v_doc, v_ext);
    ELSIF p_element = 'sendTask' THEN
        RETURN xmlelement(name "bpmn:sendTask",
            xmlattributes(p_id AS id, p_name AS name, p_data ->> 'channel' AS "pgwf:channel",
                          (SELECT string_agg(r, ',') FROM jsonb_array_elements_text(
                               CASE WHEN jsonb_typeof(p_data -> 'recipients') = 'array' THEN p_data -> 'recipients' ELSE '[]' END) r)
                              AS "pgwf:recipients",
                          p_data ->> 'template' AS "pgwf:template", v_type AS "pgwf:type"),
            v_doc, v_ext);
    ELSIF p_element = 'startEvent' THEN
        RETURN xmlelement(name "bpmn:startEvent",
                          xmlattributes(p_id AS id, p_name AS name,
                                        CASE WHEN (p_data ->> 'interrupting')::boolean IS FALSE THEN 'false' END AS "isInterrupting",
                                        v_type AS "pgwf:type"),
                          v_doc, v_ext, flowable.bpmn_event_definition_xml(p_data));
    ELSIF p_element = 'endEvent' THEN
        RETURN xmlelement(name "bpmn:endEvent", xmlattributes(p_id AS id, p_name AS name, v_type AS "pgwf:type"),
                          v_doc, v_ext, flowable.bpmn_event_definition_xml(p_data));
    ELSIF p_element = 'boundaryEvent' THEN
        RETURN xmlelement(name "bpmn:boundaryEvent",
                          xmlattributes(p_id AS id, p_name AS name, p_data ->> 'attachedTo' AS "attachedToRef",
                                        CASE WHEN (p_data ->> 'interrupting')::boolean IS FALSE THEN 'false' END AS "cancelActivity"),
                          v_doc, v_ext, flowable.bpmn_event_definition_xml(p_data));
    ELSIF p_element = 'intermediateCatchEvent' THEN
        RETURN xmlelement(name "bpmn:intermediateCatchEvent", xmlattributes(p_id AS id, p_name AS name),
                          v_doc, v_ext, flowable.bpmn_event_definition_xml(p_data));
    ELSIF p_element = 'intermediateThrowEvent' THEN
        RETURN xmlelement(name "bpmn:intermediateThrowEvent", xmlattributes(p_id AS id, p_name AS name),
                          v_doc, v_ext, flowable.bpmn_event_definition_xml(p_data));
    ELSIF p_element = 'subProcess' THEN
        RETURN xmlelement(name "bpmn:subProcess",
                          xmlattributes(p_id AS id, p_name AS name,
                                        CASE WHEN (p_data ->> 'triggeredByEvent')::boolean THEN 'true' END AS "triggeredByEvent"),
                          v_doc, v_ext, p_content);
    ELSIF p_element = 'callActivity' THEN
        -- templates go back to ${x}; the in and out mappings are Flowable's own elements
        RETURN xmlelement(name "bpmn:callActivity",
            xmlattributes(p_id AS id, p_name AS name,
                          regexp_replace(p_data ->> 'calledElement', '\{\{\s*(.*?)\s*\}\}', '${\1}', 'g') AS "calledElement",
                          CASE WHEN (p_data ->> 'inheritVariables')::boolean THEN 'true' END AS "flowable:inheritVariables",
                          CASE WHEN (p_data ->> 'inheritBusinessKey')::boolean THEN 'true' END AS "flowable:inheritBusinessKey",
                          regexp_replace(p_data ->> 'businessKey', '\{\{\s*(.*?)\s*\}\}', '${\1}', 'g') AS "flowable:businessKey"),
            v_doc,
            CASE WHEN p_needs_data OR jsonb_array_length(coalesce(p_data -> 'in', '[]')) + jsonb_array_length(coalesce(p_data -> 'out', '[]')) > 0 THEN
                xmlelement(name "bpmn:extensionElements",
                    (SELECT xmlagg(CASE WHEN m.side = 'in' THEN
                                xmlelement(name "flowable:in", xmlattributes(
                                    CASE WHEN (m.item ->> 'all')::boolean THEN 'all' END AS variables, m.item ->> 'source' AS source,
                                    regexp_replace(m.item ->> 'sourceExpression', '\{\{\s*(.*?)\s*\}\}', '${\1}', 'g') AS "sourceExpression",
                                    m.item ->> 'target' AS target))
                            ELSE
                                xmlelement(name "flowable:out", xmlattributes(
                                    CASE WHEN (m.item ->> 'all')::boolean THEN 'all' END AS variables, m.item ->> 'source' AS source,
                                    regexp_replace(m.item ->> 'sourceExpression', '\{\{\s*(.*?)\s*\}\}', '${\1}', 'g') AS "sourceExpression",
                                    m.item ->> 'target' AS target)) END ORDER BY m.side_ord, m.n)
                     FROM (SELECT 'in' AS side, 1 AS side_ord, i.item, i.n
                           FROM jsonb_array_elements(coalesce(p_data -> 'in', '[]')) WITH ORDINALITY AS i(item, n)
                           UNION ALL
                           SELECT 'out', 2, o.item, o.n
                           FROM jsonb_array_elements(coalesce(p_data -> 'out', '[]')) WITH ORDINALITY AS o(item, n)) m),
                    CASE WHEN p_needs_data THEN xmlelement(name "pgwf:data", (p_data - 'label')::text) END) END);
    ELSIF p_element = 'transaction' THEN
        RETURN xmlelement(name "bpmn:transaction", xmlattributes(p_id AS id, p_name AS name), v_doc, v_ext, p_content);
    ELSIF p_element = 'manualTask' THEN
        RETURN xmlelement(name "bpmn:manualTask", xmlattributes(p_id AS id, p_name AS name), v_doc, v_ext);
    ELSIF p_element = 'receiveTask' THEN
        RETURN xmlelement(name "bpmn:receiveTask",
                          xmlattributes(p_id AS id, p_name AS name, flowable.bpmn_event_ref('Message', p_data ->> 'name') AS "messageRef"),
                          v_doc, v_ext);
    ELSIF p_element = 'exclusiveGateway' THEN
        RETURN xmlelement(name "bpmn:exclusiveGateway",
                          xmlattributes(p_id AS id, p_name AS name, p_default_flow AS default, v_type AS "pgwf:type"),
                          v_doc, v_ext);
    ELSIF p_element = 'inclusiveGateway' THEN
        RETURN xmlelement(name "bpmn:inclusiveGateway",
                          xmlattributes(p_id AS id, p_name AS name, p_default_flow AS default, v_type AS "pgwf:type"),
                          v_doc, v_ext);
    ELSIF p_element = 'eventBasedGateway' THEN
        RETURN xmlelement(name "bpmn:eventBasedGateway", xmlattributes(p_id AS id, p_name AS name), v_doc, v_ext);
    ELSIF p_element = 'parallelGateway' THEN
        RETURN xmlelement(name "bpmn:parallelGateway", xmlattributes(p_id AS id, p_name AS name, v_type AS "pgwf:type"),
                          v_doc, v_ext);
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'PW422',
        MESSAGE = format('node "%s" has type "%s", which has no BPMN element', p_id, coalesce(p_node_type, '')),
        HINT = 'node types: trigger, action, integration, condition, approval, notification, task, gateway, end, subprocess, event, manual, receive, call';
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_node_xml(text, text, text, jsonb, text, boolean, boolean, text, xml) IS
    'Writes one graph node as its BPMN flow element (attributes in the flowable: and pgwf: namespaces); refuses a node type BPMN cannot hold.';

REVOKE ALL ON FUNCTION flowable.bpmn_node_xml(text, text, text, jsonb, text, boolean, boolean, text, xml) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_node_xml(text, text, text, jsonb, text, boolean, boolean, text, xml) TO pgwf_app;
