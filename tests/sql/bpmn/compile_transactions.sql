-- Transactions from BPMN (docs/bpmn.md, "Supported elements"): a transaction compiles to a
-- subprocess with data.transaction, its cancel end event and the cancel boundary event on it to
-- cancel events; the export writes them back; a cancel event elsewhere is refused naming it;
-- compensation stays refused.
BEGIN;
SELECT plan(6);

CREATE TEMP TABLE doc AS SELECT tests.bpmn_doc(
       '<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="tx"/>'
    || '<transaction id="tx" name="Book">'
    ||   '<startEvent id="txStart"/><sequenceFlow id="f2" sourceRef="txStart" targetRef="book"/>'
    ||   '<userTask id="book" pgwf:queue="q"/><sequenceFlow id="f3" sourceRef="book" targetRef="gw"/>'
    ||   '<exclusiveGateway id="gw" default="f5"/>'
    ||   '<sequenceFlow id="f4" sourceRef="gw" targetRef="cancelEnd"><conditionExpression>${failed}</conditionExpression></sequenceFlow>'
    ||   '<sequenceFlow id="f5" sourceRef="gw" targetRef="txEnd"/>'
    ||   '<endEvent id="cancelEnd"><cancelEventDefinition/></endEvent><endEvent id="txEnd"/>'
    || '</transaction>'
    || '<boundaryEvent id="onCancel" attachedToRef="tx"><cancelEventDefinition/></boundaryEvent>'
    || '<sequenceFlow id="f6" sourceRef="tx" targetRef="e"/><sequenceFlow id="f7" sourceRef="onCancel" targetRef="e2"/>'
    || '<endEvent id="e"/><endEvent id="e2"/>') AS xml;
GRANT SELECT ON doc TO PUBLIC;
CREATE TEMP TABLE g AS SELECT flowable.bpmn_compile(xml) -> 'graph' AS graph FROM doc;
GRANT SELECT ON g TO PUBLIC;
CREATE TEMP VIEW node AS SELECT n ->> 'id' AS id, n FROM g, jsonb_array_elements(g.graph -> 'nodes') n;
GRANT SELECT ON node TO PUBLIC;

SELECT is((SELECT n ->> 'type' || ' ' || (n -> 'data')::text FROM node WHERE id = 'tx'), 'subprocess {"label": "Book", "transaction": true}',
    'a transaction is a subprocess with data.transaction');
SELECT is((SELECT n ->> 'parentId' || ' ' || ((n -> 'data') - 'label')::text FROM node WHERE id = 'cancelEnd'),
    'tx {"event": "cancel", "terminate": false}', 'its cancel end event is an end with event cancel inside it');
SELECT is((SELECT ((n -> 'data') - 'label')::text FROM node WHERE id = 'onCancel'),
    '{"event": "cancel", "attachedTo": "tx", "interrupting": true}', 'the cancel boundary event is attached to it');
-- (the export draws the transaction at a size, which the graph then keeps)
SELECT is((SELECT jsonb_agg(n - 'width' - 'height' ORDER BY n ->> 'id') FROM g, jsonb_array_elements(flowable.bpmn_compile(flowable.bpmn_from_graph(graph, 'p', 'Test process', NULL)) #> '{graph,nodes}') n),
          (SELECT jsonb_agg(n ORDER BY n ->> 'id') FROM g, jsonb_array_elements(graph -> 'nodes') n),
    'the export writes the transaction and its cancel events back to the same graph');
SELECT throws_like($$SELECT flowable.bpmn_compile(tests.bpmn_linear('<subProcess id="step"><startEvent id="a"/><sequenceFlow id="x" sourceRef="a" targetRef="b"/><endEvent id="b"><cancelEventDefinition/></endEvent></subProcess>'))$$,
    '%b: a cancel end event lies directly inside a transaction%', 'a cancel end event in a plain sub-process is refused, naming it');
SELECT throws_like($$SELECT flowable.bpmn_compile(tests.bpmn_linear('<transaction id="step"><startEvent id="a"/><sequenceFlow id="x" sourceRef="a" targetRef="b"/><endEvent id="b"><compensateEventDefinition/></endEvent></transaction>'))$$,
    '%unsupported elements: b:endEvent[compensateEventDefinition]%', 'compensation inside a transaction stays refused');

SELECT * FROM finish();
ROLLBACK;
