-- BPMN fixture builders: wrap process elements in a <definitions> document
-- with the BPMN, DI, Flowable, Camunda and pgwf namespaces declared.
CREATE OR REPLACE FUNCTION tests.bpmn_doc(p_body text, p_process_id text DEFAULT 'p', p_extra text DEFAULT '')
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT '<?xml version="1.0" encoding="UTF-8"?>' || E'\n'
        || '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"'
        || ' xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"'
        || ' xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"'
        || ' xmlns:di="http://www.omg.org/spec/DD/20100524/DI"'
        || ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        || ' xmlns:flowable="http://flowable.org/bpmn"'
        || ' xmlns:camunda="http://camunda.org/schema/1.0/bpmn"'
        || ' xmlns:pgwf="urn:pgwf:bpmn" targetNamespace="urn:test">'
        || '<process id="' || p_process_id || '" name="Test process">' || p_body || '</process>'
        || p_extra || '</definitions>';
$$;
COMMENT ON FUNCTION tests.bpmn_doc(text, text, text) IS
    'A BPMN 2.0 document whose process (id p_process_id) holds p_body; p_extra goes after the process (e.g. a BPMNDiagram).';

CREATE OR REPLACE FUNCTION tests.bpmn_linear(p_middle text, p_process_id text DEFAULT 'p')
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT tests.bpmn_doc(
        '<startEvent id="start"/><sequenceFlow id="f1" sourceRef="start" targetRef="step"/>'
        || p_middle
        || '<sequenceFlow id="f2" sourceRef="step" targetRef="end"/><endEvent id="end"/>', p_process_id);
$$;
COMMENT ON FUNCTION tests.bpmn_linear(text, text) IS
    'start -> (p_middle, an element with id "step") -> end.';

CREATE OR REPLACE FUNCTION tests.bpmn_node(p_xml text, p_node_id text)
RETURNS jsonb LANGUAGE sql AS $$
    SELECT n FROM jsonb_array_elements(flowable.bpmn_to_graph(p_xml) -> 'nodes') n WHERE n ->> 'id' = p_node_id;
$$;
COMMENT ON FUNCTION tests.bpmn_node(text, text) IS 'The compiled graph node with this id.';
