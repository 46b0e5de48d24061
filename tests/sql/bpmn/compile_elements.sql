-- flowable.bpmn_compile / bpmn_to_graph: each supported BPMN element and
-- vendor attribute becomes the node or edge docs/graph-model.md describes.
BEGIN;
SELECT plan(27);

SELECT is(tests.bpmn_node(tests.bpmn_linear('<userTask id="step"/>'), 'start'),
    '{"id": "start", "type": "trigger", "position": {"x": 0, "y": 0},
      "data": {"label": "start", "triggerType": "manual"}}'::jsonb,
    'a none startEvent becomes a manual trigger laid out in the first layer');
SELECT is(tests.bpmn_node(tests.bpmn_linear('<userTask id="step"/>'), 'end') -> 'data',
    '{"label": "end", "terminate": false}'::jsonb,
    'a plain endEvent ends its branch');
SELECT is(tests.bpmn_node(tests.bpmn_doc(
        '<startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="t"/>'
        || '<endEvent id="t" name="Stop all"><terminateEventDefinition/></endEvent>'), 't') -> 'data',
    '{"label": "Stop all", "terminate": true}'::jsonb,
    'an endEvent with terminateEventDefinition terminates the run, and name is the label');

SELECT is(tests.bpmn_node(tests.bpmn_linear(
        '<userTask id="step" name="Review" flowable:candidateGroups="legal, compliance" flowable:candidateUsers="ann,bob"'
        || ' flowable:assignee="carol" flowable:priority="70" flowable:dueDate="P2DT4H" flowable:formKey="review-form"'
        || ' pgwf:queue="LEGAL_REVIEW"><documentation>Check the contract</documentation></userTask>'), 'step'),
    '{"id": "step", "type": "task", "position": {"x": 200, "y": 0},
      "data": {"label": "Review", "queueName": "LEGAL_REVIEW", "candidateGroups": ["legal", "compliance"],
               "candidateUsers": ["ann", "bob"], "assignee": "carol", "priority": 70, "dueInMinutes": 3120,
               "formKey": "review-form", "documentation": "Check the contract"}}'::jsonb,
    'a flowable userTask keeps groups, users, assignee, priority, an ISO duration due date, form key, pgwf queue and documentation');
SELECT is(tests.bpmn_node(tests.bpmn_linear(
        '<userTask id="step" camunda:candidateGroups="ops" camunda:assignee="${initiator}" camunda:priority="${case.priority}"'
        || ' camunda:dueDate="2030-01-31T17:00:00Z"><extensionElements><pgwf:queue>OPS</pgwf:queue></extensionElements></userTask>'),
        'step') -> 'data',
    '{"label": "step", "queueName": "OPS", "candidateGroups": ["ops"], "assignee": "{{initiator}}",
      "priority": "{{case.priority}}", "dueDate": "2030-01-31T17:00:00Z"}'::jsonb,
    'camunda attributes are read too, ${var} becomes a {{var}} template, and the queue may be a pgwf:queue element');
SELECT is(tests.bpmn_node(tests.bpmn_doc(
        '<startEvent id="start"/><sequenceFlow id="f1" sourceRef="start" targetRef="step"/>'
        || '<userTask xmlns:act="http://activiti.org/bpmn" id="step" act:candidateGroups="hr" act:assignee=""/>'
        || '<sequenceFlow id="f2" sourceRef="step" targetRef="end"/><endEvent id="end"/>'), 'step') -> 'data',
    '{"label": "step", "candidateGroups": ["hr"]}'::jsonb,
    'activiti attributes are resolved by namespace URI and an empty assignee is no assignee');

SELECT is(tests.bpmn_node(tests.bpmn_linear(
        '<serviceTask id="step" name="Archive" flowable:type="external-worker" flowable:topic="archive"/>'), 'step') -> 'data',
    '{"label": "Archive", "connector": "archive"}'::jsonb,
    'a flowable external-worker serviceTask becomes an action for its topic');
SELECT is(tests.bpmn_node(tests.bpmn_linear(
        '<serviceTask id="step" camunda:type="external" camunda:topic="invoiceCreator"/>'), 'step') ->> 'type',
    'action', 'a camunda external serviceTask becomes an action');
SELECT is(tests.bpmn_node(tests.bpmn_linear(
        '<sendTask id="step" name="Tell the customer" pgwf:channel="email" pgwf:recipients="a@example.org, b@example.org"'
        || ' pgwf:template="case_closed"><documentation>Your case is closed</documentation></sendTask>'), 'step'),
    '{"id": "step", "type": "notification", "position": {"x": 200, "y": 0},
      "data": {"label": "Tell the customer", "channel": "email", "recipients": ["a@example.org", "b@example.org"],
               "subject": "Tell the customer", "template": "case_closed", "message": "Your case is closed",
               "documentation": "Your case is closed"}}'::jsonb,
    'a sendTask becomes a notification with the pgwf channel, recipients and template');

-- gateways, conditions and default flows
CREATE TEMP TABLE g AS SELECT flowable.bpmn_to_graph(tests.bpmn_doc(
    '<startEvent id="s"/><sequenceFlow id="f0" sourceRef="s" targetRef="x"/>'
    || '<exclusiveGateway id="x" default="fDefault"/>'
    || '<sequenceFlow id="fHigh" name="high" sourceRef="x" targetRef="fork">'
    || '<conditionExpression xsi:type="tFormalExpression"><![CDATA[${priority >= 80 && type == "FRAUD"}]]></conditionExpression></sequenceFlow>'
    || '<sequenceFlow id="fDefault" sourceRef="x" targetRef="inc"/>'
    || '<parallelGateway id="fork"/>'
    || '<sequenceFlow id="fa" sourceRef="fork" targetRef="join"/><sequenceFlow id="fb" sourceRef="fork" targetRef="join"/>'
    || '<parallelGateway id="join"/><sequenceFlow id="fj" sourceRef="join" targetRef="e"/>'
    || '<inclusiveGateway id="inc" default="fi2"/>'
    || '<sequenceFlow id="fi1" sourceRef="inc" targetRef="e"><conditionExpression>${legal}</conditionExpression></sequenceFlow>'
    || '<sequenceFlow id="fi2" sourceRef="inc" targetRef="e"/>'
    || '<endEvent id="e"/>')) AS graph;

SELECT set_eq($$SELECT n ->> 'id' AS id, n #>> '{data,kind}' AS kind FROM g, jsonb_array_elements(graph -> 'nodes') n WHERE n ->> 'type' = 'gateway'$$,
    $$VALUES ('x', 'exclusive'), ('fork', 'parallel'), ('join', 'parallel'), ('inc', 'inclusive')$$,
    'exclusive, parallel and inclusive gateways become gateway nodes of their kind');
SELECT is((SELECT e FROM g, jsonb_array_elements(graph -> 'edges') e WHERE e ->> 'id' = 'fHigh'),
    '{"id": "fHigh", "source": "x", "target": "fork", "type": "smoothstep", "label": "high",
      "data": {"conditions": [{"all": [{"field": "priority", "operator": "greater_than_or_equal", "value": 80},
                                       {"field": "type", "operator": "equals", "value": "FRAUD"}]}]}}'::jsonb,
    'a conditionExpression (in CDATA) becomes the edge''s compiled conditions and the flow name its label');
SELECT is((SELECT e -> 'data' FROM g, jsonb_array_elements(graph -> 'edges') e WHERE e ->> 'id' = 'fDefault'),
    '{"default": true}'::jsonb, 'the default flow of an exclusive gateway is marked default');
SELECT is((SELECT e -> 'data' FROM g, jsonb_array_elements(graph -> 'edges') e WHERE e ->> 'id' = 'fi2'),
    '{"default": true}'::jsonb, 'the default flow of an inclusive gateway is marked default');
SELECT is((SELECT count(*)::integer FROM g, jsonb_array_elements(graph -> 'edges') e WHERE e ->> 'source' = 'fork' AND e -> 'data' IS NULL),
    2, 'flows out of a parallel fork are unconditional');
SELECT is((SELECT array_agg(e ->> 'id' ORDER BY n) FROM g, jsonb_array_elements(graph -> 'edges') WITH ORDINALITY AS x(e, n)),
    ARRAY['f0', 'fHigh', 'fDefault', 'fa', 'fb', 'fj', 'fi1', 'fi2'],
    'edges keep document order, which is the order an exclusive gateway tries them in');
SELECT is((SELECT n -> 'position' FROM g, jsonb_array_elements(graph -> 'nodes') n WHERE n ->> 'id' = 'e'),
    '{"x": 600, "y": 120}'::jsonb, 'without a diagram, nodes are laid out in layers by their distance from the start, in document order within a layer');

-- documentation, names, ids and diagram positions
SELECT is(flowable.bpmn_compile(tests.bpmn_doc(
        '<documentation>Routes cases</documentation><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="e"/><endEvent id="e"/>',
        'caseRouting')) -> 'process',
    '{"id": "caseRouting", "name": "Test process", "documentation": "Routes cases", "isExecutable": true}'::jsonb,
    'the process id, name and documentation are returned with the graph');
SELECT is(tests.bpmn_node(tests.bpmn_doc(
        '<startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="e"/><endEvent id="e"/>', 'p',
        '<bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="p">'
        || '<bpmndi:BPMNShape id="sh" bpmnElement="e"><dc:Bounds x="412.6" y="98" width="36" height="36"/></bpmndi:BPMNShape>'
        || '</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>'), 'e') -> 'position',
    '{"x": 413, "y": 98}'::jsonb, 'a BPMNShape gives the node its position, rounded');
SELECT is(jsonb_array_length(flowable.bpmn_to_graph(tests.bpmn_doc(
        '<startEvent id="s"><outgoing>f</outgoing></startEvent><sequenceFlow sourceRef="s" targetRef="e"/>'
        || '<endEvent id="e"><incoming>f</incoming></endEvent>')) -> 'edges'), 1,
    'incoming/outgoing are accepted and a sequence flow without id still becomes an edge');
SELECT is(flowable.bpmn_to_graph(tests.bpmn_doc(
        '<startEvent id="s"/><sequenceFlow sourceRef="s" targetRef="e"/><endEvent id="e"/>')) #>> '{edges,0,id}', 'flow_2',
    'a sequence flow without id is named after its place in the document');

-- vendor values outside what pgwf reads are refused with the element id
SELECT throws_ok($$SELECT flowable.bpmn_to_graph(tests.bpmn_linear('<userTask id="step" flowable:dueDate="${task.getCreateTime()}"/>'))$$,
    'PW422', 'BPMN process p refused: step: dueDate "${task.getCreateTime()}" is outside the grammar (a date, an ISO 8601 date-time or duration, or ${variable})',
    'a dueDate that calls a method other than the date helpers is refused');
SELECT is(tests.bpmn_node(tests.bpmn_linear('<serviceTask id="step" flowable:class="com.example.Send$Mail"/>'), 'step') -> 'data',
    '{"label": "step", "connector": "Mail", "implementation": {"class": "com.example.Send$Mail"}}'::jsonb,
    'a serviceTask with a Java class is a worker step on the class''s simple name, pgwf never runs the class');
SELECT throws_ok($$SELECT flowable.bpmn_to_graph(tests.bpmn_linear(
        '<userTask id="step"><extensionElements><flowable:taskListener event="create" class="X"/></extensionElements></userTask>'))$$,
    'PW422', 'BPMN process p refused: step: the flowable:taskListener extension is not supported',
    'a vendor listener extension is refused');
SELECT throws_ok($$SELECT flowable.bpmn_to_graph(tests.bpmn_linear('<userTask id="step" flowable:priority="high"/>'))$$,
    'PW422', NULL, 'a priority that is not an integer or ${variable} is refused');

SELECT is(jsonb_array_length(flowable.bpmn_to_graph(U&'\FEFF<?xml version="1.0" encoding="UTF-16"?>'
        || replace(tests.bpmn_linear('<userTask id="step"/>'), '<?xml version="1.0" encoding="UTF-8"?>', '')) -> 'nodes'), 3,
    'a byte order mark and an encoding declaration in front of the document are accepted');

-- compiling is a model change's first step: a workflow_admin's (automation.require_model_admin)
SELECT tests.workflow_admin('modeler');
SET LOCAL ROLE pgwf_test_app;
SELECT set_config('app.current_user_id', 'modeler', true);
SELECT lives_ok($$SELECT flowable.bpmn_to_graph(tests.bpmn_linear('<userTask id="step"/>'))$$,
    'an application login can compile BPMN and its helpers run as that login');
SELECT lives_ok($$SELECT flowable.bpmn_from_graph(flowable.bpmn_to_graph(tests.bpmn_linear('<userTask id="step"/>')), 'p')$$,
    'an application login can export a graph');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
