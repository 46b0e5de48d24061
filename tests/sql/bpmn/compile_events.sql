-- flowable.bpmn_compile: events, scopes and worker implementations (docs/bpmn.md, "Events and
-- scopes", "Service tasks and workers"). Each BPMN construct maps to the graph node the token
-- engine runs; what it cannot run is refused naming the element.
BEGIN;
SELECT plan(27);

CREATE TEMP TABLE doc AS SELECT tests.bpmn_doc(
       '<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="sub"/>'
    || '<subProcess id="sub" name="Review">'
    ||   '<startEvent id="subStart"/><sequenceFlow id="f2" sourceRef="subStart" targetRef="review"/>'
    ||   '<userTask id="review" pgwf:queue="q"/><sequenceFlow id="f3" sourceRef="review" targetRef="subEnd"/>'
    ||   '<endEvent id="subEnd"><errorEventDefinition errorRef="tns:rejected"/></endEvent>'
    || '</subProcess>'
    || '<boundaryEvent id="late" attachedToRef="sub" cancelActivity="false">'
    ||   '<timerEventDefinition><timeDuration>PT4H</timeDuration></timerEventDefinition></boundaryEvent>'
    || '<boundaryEvent id="caught" attachedToRef="sub"><errorEventDefinition errorRef="rejected"/></boundaryEvent>'
    || '<sequenceFlow id="f4" sourceRef="late" targetRef="remind"/><sendTask id="remind"/>'
    || '<sequenceFlow id="f5" sourceRef="caught" targetRef="e"/>'
    || '<sequenceFlow id="f6" sourceRef="sub" targetRef="gw"/><eventBasedGateway id="gw"/>'
    || '<sequenceFlow id="f7" sourceRef="gw" targetRef="paid"/>'
    || '<intermediateCatchEvent id="paid"><messageEventDefinition messageRef="msgPaid"/></intermediateCatchEvent>'
    || '<sequenceFlow id="f8" sourceRef="gw" targetRef="wait"/>'
    || '<intermediateCatchEvent id="wait"><timerEventDefinition><timeDate>2030-01-01T09:00:00Z</timeDate></timerEventDefinition></intermediateCatchEvent>'
    || '<sequenceFlow id="f9" sourceRef="paid" targetRef="ship"/><receiveTask id="ship"/>'
    || '<sequenceFlow id="f10" sourceRef="wait" targetRef="hand"/><manualTask id="hand"/>'
    || '<sequenceFlow id="f11" sourceRef="ship" targetRef="tell"/>'
    || '<intermediateThrowEvent id="tell"><signalEventDefinition signalRef="sigDone"/></intermediateThrowEvent>'
    || '<sequenceFlow id="f12" sourceRef="tell" targetRef="e"/><sequenceFlow id="f13" sourceRef="hand" targetRef="e"/>'
    || '<endEvent id="e"/>',
       'p',
       '<message id="msgPaid" name="Invoice paid"/><signal id="sigDone" name="order-done"/>'
    || '<error id="rejected" errorCode="REJECTED"/>'
    || '<bpmndi:BPMNDiagram><bpmndi:BPMNPlane bpmnElement="p">'
    || '<bpmndi:BPMNShape bpmnElement="sub"><dc:Bounds x="100" y="50" width="400" height="200"/></bpmndi:BPMNShape>'
    || '<bpmndi:BPMNShape bpmnElement="review"><dc:Bounds x="220" y="110" width="100" height="80"/></bpmndi:BPMNShape>'
    || '</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>') AS xml;
GRANT SELECT ON doc TO PUBLIC;
CREATE TEMP TABLE g AS SELECT flowable.bpmn_compile(xml) -> 'graph' AS graph FROM doc;
GRANT SELECT ON g TO PUBLIC;
CREATE TEMP VIEW node AS SELECT n ->> 'id' AS id, n FROM g, jsonb_array_elements(g.graph -> 'nodes') n;
GRANT SELECT ON node TO PUBLIC;

SELECT is((SELECT n - 'data' FROM node WHERE id = 'sub'),
    '{"id": "sub", "type": "subprocess", "position": {"x": 100, "y": 50}, "width": 400, "height": 200}'::jsonb,
    'a subProcess is a subprocess node drawn at its diagram bounds');
SELECT is((SELECT n - 'data' FROM node WHERE id = 'review'),
    '{"id": "review", "type": "task", "parentId": "sub", "position": {"x": 120, "y": 60}}'::jsonb,
    'a node inside a sub-process names it as parentId and is placed relative to it, as React Flow does');
SELECT is((SELECT n -> 'data' FROM node WHERE id = 'subStart'),
    '{"label": "subStart", "event": "none", "start": true}'::jsonb,
    'the start event of a sub-process is a none event marked as its start');
SELECT is((SELECT n -> 'data' FROM node WHERE id = 'subEnd'),
    '{"label": "subEnd", "terminate": false, "event": "error", "code": "REJECTED"}'::jsonb,
    'an error end event throws the errorCode of the error it names (a tns: prefix is read off)');
SELECT is((SELECT n -> 'data' FROM node WHERE id = 'late'),
    '{"label": "late", "event": "timer", "timer": {"duration": "PT4H"}, "attachedTo": "sub", "interrupting": false}'::jsonb,
    'a non-interrupting timer boundary event keeps its duration and the activity it watches');
SELECT is((SELECT n -> 'data' FROM node WHERE id = 'caught'),
    '{"label": "caught", "event": "error", "code": "REJECTED", "attachedTo": "sub", "interrupting": true}'::jsonb,
    'an error boundary event catches the code of its error and interrupts');
SELECT is((SELECT n -> 'data' FROM node WHERE id = 'paid'),
    '{"label": "paid", "event": "message", "name": "Invoice paid"}'::jsonb,
    'a message catch waits for the name of the message it refers to');
SELECT is((SELECT n -> 'data' FROM node WHERE id = 'wait'),
    '{"label": "wait", "event": "timer", "timer": {"date": "2030-01-01T09:00:00Z"}}'::jsonb,
    'a timer catch keeps its timeDate');
SELECT is((SELECT jsonb_build_array(n ->> 'type', n -> 'data') FROM node WHERE id = 'tell'),
    '["event", {"label": "tell", "event": "signal", "name": "order-done", "throw": true}]'::jsonb,
    'a signal throw event sends the signal by name');
SELECT is((SELECT jsonb_agg(jsonb_build_array(id, n ->> 'type', n -> 'data') ORDER BY id) FROM node WHERE id IN ('gw', 'ship', 'hand')),
    '[["gw", "gateway", {"label": "gw", "kind": "eventBased"}],
      ["hand", "manual", {"label": "hand"}],
      ["ship", "receive", {"label": "ship", "name": "ship"}]]'::jsonb,
    'an event-based gateway, a manual task and a receive task without messageRef (waiting for a message named after it)');

-- the compiled graph is one the engine deploys, and a graph with scopes exports and compiles back
SELECT lives_ok($$SELECT automation.validate_workflow_graph((SELECT graph FROM g))$$,
    'the graph of events and scopes passes the engine''s validation');
CREATE TEMP TABLE back AS SELECT flowable.bpmn_compile(flowable.bpmn_from_graph(graph, 'p', 'Test process', NULL)) -> 'graph' AS graph FROM g;
GRANT SELECT ON back TO PUBLIC;
SELECT is((SELECT jsonb_build_array(b.graph -> 'nodes', (SELECT jsonb_agg(e ORDER BY e ->> 'id') FROM jsonb_array_elements(b.graph -> 'edges') e))
           FROM back b),
          (SELECT jsonb_build_array(g.graph -> 'nodes', (SELECT jsonb_agg(e ORDER BY e ->> 'id') FROM jsonb_array_elements(g.graph -> 'edges') e))
           FROM g),
    'events and scopes export as BPMN and compile back to the same graph');

-- worker implementations: a topic by the documented rule, pgwf runs none of the code
SELECT is(tests.bpmn_node(tests.bpmn_linear('<serviceTask id="step" flowable:delegateExpression="${mailSender}"/>'), 'step') -> 'data',
    '{"label": "step", "connector": "mailSender", "implementation": {"delegateExpression": "${mailSender}"}}'::jsonb,
    'a delegateExpression names its bean as the topic');
SELECT is(tests.bpmn_node(tests.bpmn_linear(
        '<serviceTask id="step" camunda:expression="${invoices.archive(execution)}" camunda:resultVariable="archived"/>'), 'step') -> 'data',
    '{"label": "step", "connector": "invoices.archive", "implementation": {"expression": "${invoices.archive(execution)}"}, "resultVariable": "archived"}'::jsonb,
    'an expression names bean.method as the topic and keeps its result variable');
SELECT is(tests.bpmn_node(tests.bpmn_linear(
        '<serviceTask id="step" flowable:type="http"><extensionElements>'
        || '<flowable:field name="requestMethod" stringValue="GET"/>'
        || '<flowable:field name="requestUrl"><flowable:expression>${url}</flowable:expression></flowable:field>'
        || '</extensionElements></serviceTask>'), 'step') -> 'data',
    '{"label": "step", "connector": "http", "implementation": {"type": "http"}, "fields": {"requestMethod": "GET", "requestUrl": "{{url}}"},
      "input": {"url": "{{url}}", "method": "GET"}}'::jsonb,
    'a flowable http task is an http step whose fields are its input');
SELECT is(tests.bpmn_node(tests.bpmn_linear(
        '<serviceTask id="step"><extensionElements><camunda:connector><camunda:connectorId>http-connector</camunda:connectorId>'
        || '<camunda:inputOutput><camunda:inputParameter name="url">http://example.org</camunda:inputParameter>'
        || '<camunda:inputParameter name="headers"><camunda:map><camunda:entry key="Accept">text/plain</camunda:entry></camunda:map></camunda:inputParameter>'
        || '<camunda:outputParameter name="status">${statusCode}</camunda:outputParameter>'
        || '</camunda:inputOutput></camunda:connector></extensionElements></serviceTask>'), 'step') -> 'data',
    '{"label": "step", "connector": "http", "implementation": {"connectorId": "http-connector"},
      "input": {"url": "http://example.org", "headers": {"Accept": "text/plain"}}, "outputs": {"status": "{{statusCode}}"}}'::jsonb,
    'a camunda http-connector is an http step with its input parameters as the http connector''s input and its output parameters');
SELECT is(tests.bpmn_node(tests.bpmn_linear('<scriptTask id="step" scriptFormat="JavaScript"><script>x = 1;</script></scriptTask>'), 'step'),
    '{"id": "step", "type": "action", "position": {"x": 200, "y": 0},
      "data": {"label": "step", "connector": "script:javascript", "implementation": {"scriptFormat": "JavaScript"}, "script": "x = 1;"}}'::jsonb,
    'a script task is a worker step on script:<format> carrying its script');
SELECT is(tests.bpmn_node(tests.bpmn_linear('<businessRuleTask id="step" camunda:decisionRef="approve-invoice"/>'), 'step') -> 'data',
    '{"label": "step", "connector": "dmn:approve-invoice", "implementation": {"decisionRef": "approve-invoice"}}'::jsonb,
    'a business rule task is a worker step on dmn:<decisionRef>');

SELECT is(tests.bpmn_node(tests.bpmn_linear(
        '<userTask id="step" pgwf:queue="q" flowable:assignee="kermit_${loopCounter}" flowable:dueDate="${environment.variables.due}"/>'), 'step') -> 'data',
    '{"label": "step", "queueName": "q", "assignee": "kermit_{{loopCounter}}", "dueDate": "{{due}}"}'::jsonb,
    'a ${path} inside text is a template in place, and bpmn-engine''s environment.variables.x is the variable x');

-- what the engine cannot run is refused, element by element
SELECT is(tests.bpmn_node(tests.bpmn_doc(
        '<startEvent id="s"><timerEventDefinition><timeCycle>R/PT1H</timeCycle></timerEventDefinition></startEvent>'
        || '<sequenceFlow id="f1" sourceRef="s" targetRef="e"/><endEvent id="e"/>'), 's') -> 'data',
    '{"label": "s", "triggerType": "manual", "event": "timer", "timer": {"cycle": "R/PT1H"}}'::jsonb,
    'a timer start event is a trigger with its timer');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_doc(
        '<startEvent id="s"><errorEventDefinition/></startEvent>'
        || '<sequenceFlow id="f1" sourceRef="s" targetRef="e"/><endEvent id="e"/>'))$$,
    'PW422', 'BPMN process p refused: s: a process does not start on an error; error and escalation start events belong to event sub-processes',
    'an error start event of a process is refused');
SELECT is((SELECT jsonb_agg(jsonb_build_array(n ->> 'id', n -> 'data') ORDER BY n ->> 'id')
           FROM jsonb_array_elements(flowable.bpmn_compile(tests.bpmn_doc(
        '<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="e"/><endEvent id="e"/>'
        || '<subProcess id="es" triggeredByEvent="true"><startEvent id="es1" isInterrupting="false"><signalEventDefinition signalRef="alarm"/></startEvent>'
        || '<sequenceFlow id="f2" sourceRef="es1" targetRef="es2"/><endEvent id="es2"/></subProcess>')) #> '{graph,nodes}') n
           WHERE n ->> 'id' IN ('es', 'es1')),
    '[["es", {"label": "es", "triggeredByEvent": true}],
      ["es1", {"label": "es1", "event": "signal", "name": "alarm", "start": true, "interrupting": false}]]'::jsonb,
    'an event sub-process keeps triggeredByEvent, and its start what starts it and whether it interrupts');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_doc(
        '<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="e"/><endEvent id="e"/>'
        || '<subProcess id="es" triggeredByEvent="true"><startEvent id="es1" isInterrupting="false"><errorEventDefinition/></startEvent>'
        || '<sequenceFlow id="f2" sourceRef="es1" targetRef="es2"/><endEvent id="es2"/></subProcess>'))$$,
    'PW422', 'BPMN process p refused: es1: an error start event always interrupts (isInterrupting="false" is not allowed)',
    'a non-interrupting error start is refused');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_linear(
        '<sendTask id="step"/><boundaryEvent id="b" attachedToRef="step" cancelActivity="false"><errorEventDefinition/></boundaryEvent>'
        || '<sequenceFlow id="f3" sourceRef="b" targetRef="end"/>'))$$,
    'PW422', 'BPMN process p refused: b: boundaryEvent is attached to step, which is no user, service, manual or receive task, call activity or sub-process of its own scope; b: an error boundary event always interrupts its activity (cancelActivity="false" is not allowed)',
    'a boundary event on a send task and a non-interrupting error boundary are refused');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_linear(
        '<intermediateCatchEvent id="step"><timerEventDefinition><timeDuration>soon</timeDuration></timerEventDefinition></intermediateCatchEvent>'))$$,
    'PW422', 'BPMN process p refused: step: duration ''soon'' is not an ISO 8601 duration such as PT10M or P1DT2H',
    'a malformed timer expression is refused naming the event');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_linear(
        '<intermediateCatchEvent id="step"><messageEventDefinition/><signalEventDefinition signalRef="x"/></intermediateCatchEvent>'))$$,
    'PW422', 'BPMN process p refused: step: a intermediateCatchEvent with several event definitions (a multiple event) is not supported',
    'a multiple event is refused');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_linear('<intermediateCatchEvent id="step"/>'))$$,
    'PW422', 'BPMN process p refused: step: an intermediate catch event waits for a timer, a message, a signal or a link (found no event definition)',
    'a catch event with nothing to wait for is refused');

SELECT * FROM finish();
ROLLBACK;
