-- Descriptive BPMN elements (lanes, annotations, data objects and stores, properties,
-- I/O specifications and plain data associations, modeler metadata, declarations beside
-- the process) are accepted and never run; the compiler lists each one it ignored.
-- Behaviour-bearing elements are still refused with their id (docs/bpmn.md).
BEGIN;
SELECT plan(17);

CREATE TEMP TABLE c AS SELECT flowable.bpmn_compile(tests.bpmn_doc(
    '<laneSet id="ls"><lane id="laneA" name="clerks"><flowNodeRef>start</flowNodeRef><flowNodeRef>review</flowNodeRef>'
    || '<childLaneSet id="cls"><lane id="laneB" name="seniors"><flowNodeRef>approve</flowNodeRef></lane></childLaneSet></lane>'
    || '<lane id="laneC"><flowNodeRef>end</flowNodeRef></lane></laneSet>'
    || '<property id="procProp" name="amount"/>'
    || '<ioSpecification id="procIo"><dataInput id="in1"/><inputSet id="is1"><dataInputRefs>in1</dataInputRefs></inputSet></ioSpecification>'
    || '<dataObject id="dobj" name="invoice"/><dataObjectReference id="dref" dataObjectRef="dobj"/>'
    || '<dataStoreReference id="dsref" dataStoreRef="ds"/>'
    || '<textAnnotation id="note"><text>Ask the customer first</text></textAnnotation>'
    || '<association id="assoc" sourceRef="review" targetRef="note"/>'
    || '<group id="grp" categoryValueRef="cv"/>'
    || '<startEvent id="start"/><sequenceFlow id="f1" sourceRef="start" targetRef="review"/>'
    || '<userTask id="review" name="Review">'
    || '<extensionElements><signavio:signavioMetaData xmlns:signavio="http://www.signavio.com" metaKey="bgcolor" metaValue="#fff"/>'
    || '<drools:metaData xmlns:drools="http://www.jboss.org/drools" name="elementname"><drools:metaValue>Review</drools:metaValue></drools:metaData>'
    || '<zeebe:properties xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"><zeebe:property name="a" value="b"/></zeebe:properties>'
    || '</extensionElements>'
    || '<property id="taskProp" name="__targetRef_placeholder"/>'
    || '<dataInputAssociation id="dia"><sourceRef>dsref</sourceRef><targetRef>taskProp</targetRef></dataInputAssociation>'
    || '<dataOutputAssociation id="doa"><targetRef>dref</targetRef></dataOutputAssociation>'
    || '<rendering/></userTask>'
    || '<sequenceFlow id="f2" sourceRef="review" targetRef="approve"/>'
    || '<userTask id="approve" flowable:candidateGroups="board"/>'
    || '<sequenceFlow id="f3" sourceRef="approve" targetRef="end"/><endEvent id="end"/>', 'lanes',
    '<collaboration id="collab"><participant id="pool" processRef="lanes"/></collaboration>'
    || '<message id="msg" name="invoiceReceived"/><dataStore id="ds" name="archive"/>')) AS r;

SELECT is((SELECT array_agg(n ->> 'id' ORDER BY n ->> 'id') FROM c, jsonb_array_elements(r #> '{graph,nodes}') n),
    ARRAY['approve', 'end', 'review', 'start'], 'descriptive elements compile and become no nodes');
SELECT is((SELECT jsonb_object_agg(n ->> 'id', n #>> '{data,lane}') FROM c, jsonb_array_elements(r #> '{graph,nodes}') n),
    '{"start": "clerks", "review": "clerks", "approve": "seniors", "end": "laneC"}'::jsonb,
    'each node keeps its lane (the innermost one; its name, else its id)');
SELECT is((SELECT n #> '{data,candidateGroups}' FROM c, jsonb_array_elements(r #> '{graph,nodes}') n WHERE n ->> 'id' = 'review'),
    '["clerks"]'::jsonb, 'a user task naming no candidate group, user or assignee takes its lane''s name as candidate group');
SELECT is((SELECT n #> '{data,candidateGroups}' FROM c, jsonb_array_elements(r #> '{graph,nodes}') n WHERE n ->> 'id' = 'approve'),
    '["board"]'::jsonb, 'a user task naming its candidate groups keeps them');
SELECT is((SELECT count(*)::integer FROM c, jsonb_array_elements(r #> '{graph,edges}') e), 3,
    'associations are not sequence flows');
SELECT set_eq($$SELECT i ->> 'kind' AS kind, coalesce(i ->> 'id', '?') AS id, i ->> 'in' AS owner FROM c, jsonb_array_elements(r -> 'ignored') i$$,
    $$VALUES ('laneSet', 'ls', 'lanes'), ('lane', 'laneA', 'lanes'), ('childLaneSet', 'cls', 'lanes'), ('lane', 'laneB', 'lanes'),
             ('lane', 'laneC', 'lanes'), ('property', 'procProp', 'lanes'), ('ioSpecification', 'procIo', 'lanes'),
             ('dataObject', 'dobj', 'lanes'), ('dataObjectReference', 'dref', 'lanes'), ('dataStoreReference', 'dsref', 'lanes'),
             ('textAnnotation', 'note', 'lanes'), ('association', 'assoc', 'lanes'), ('group', 'grp', 'lanes'),
             ('signavio:signavioMetaData', '?', 'review'), ('drools:metaData', '?', 'review'), ('zeebe:properties', '?', 'review'),
             ('property', 'taskProp', 'review'), ('dataInputAssociation', 'dia', 'review'),
             ('dataOutputAssociation', 'doa', 'review'), ('rendering', '?', 'review'),
             ('collaboration', 'collab', 'definitions'), ('message', 'msg', 'definitions'), ('dataStore', 'ds', 'definitions')$$,
    'the compiler lists every element it ignored, element by element, with the element it sits in');
SELECT ok((SELECT bool_and(coalesce(i ->> 'reason', '') <> '') FROM c, jsonb_array_elements(r -> 'ignored') i),
    'each ignored element says why it is ignored');
SELECT is((SELECT r -> 'ignored' -> 0 FROM c),
    '{"kind": "laneSet", "id": "ls", "in": "lanes", "reason": "lanes describe who works where; each node keeps its lane (data.lane)"}'::jsonb,
    'items are in document order and say what was kept');

-- a document with nothing descriptive ignores nothing
SELECT is(flowable.bpmn_compile(tests.bpmn_linear('<userTask id="step"/>')) -> 'ignored', '[]'::jsonb,
    'a document with nothing to ignore has an empty list');
SELECT is(flowable.bpmn_to_graph(tests.bpmn_doc('<laneSet id="ls"/><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="e"/><endEvent id="e"/>'))
          -> 'nodes' -> 0 -> 'data', '{"label": "s", "triggerType": "manual"}'::jsonb,
    'a node in no lane has no lane');

-- behaviour stays refused, with the element id
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_linear(
        '<userTask id="step"><dataInputAssociation id="m"><sourceRef>a</sourceRef><targetRef>b</targetRef>'
        || '<assignment><from>${x}</from><to>y</to></assignment></dataInputAssociation></userTask>'))$$,
    'PW422', 'BPMN process p refused: unsupported elements: step:userTask[dataInputAssociation]',
    'a data association carrying an assignment is behaviour pgwf does not run: refused');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_linear(
        '<userTask id="step"><dataOutputAssociation id="m"><transformation>x + 1</transformation></dataOutputAssociation></userTask>'))$$,
    'PW422', 'BPMN process p refused: unsupported elements: step:userTask[dataOutputAssociation]',
    'a data association carrying a transformation is refused');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_linear(
        '<userTask id="step"><extensionElements><drools:onEntry-script xmlns:drools="http://www.jboss.org/drools" scriptFormat="java">'
        || '<drools:script>x();</drools:script></drools:onEntry-script></extensionElements></userTask>'))$$,
    'PW422', 'BPMN process p refused: step: the drools:onEntry-script extension is not supported',
    'a vendor extension that runs code is refused even in a namespace whose metadata is accepted');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_linear(
        '<serviceTask id="step"><extensionElements><zeebe:taskDefinition xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" type="x"/>'
        || '</extensionElements></serviceTask>'))$$,
    'PW422', 'BPMN process p refused: step: the zeebe:taskDefinition extension is not supported; step: serviceTask names no implementation for a worker topic (pgwf:topic, an external worker flowable:type="external-worker" flowable:topic="...", a class, delegateExpression, expression, flowable:type or camunda:connector)',
    'a zeebe extension that is not a property list is refused');
SELECT is((SELECT jsonb_agg(n ->> 'type' ORDER BY n ->> 'id') FROM jsonb_array_elements(flowable.bpmn_compile(tests.bpmn_doc(
        '<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/><task id="t"/>'
        || '<sequenceFlow id="f2" sourceRef="t" targetRef="m"/><manualTask id="m"/>'
        || '<sequenceFlow id="f3" sourceRef="m" targetRef="e"/><endEvent id="e"/>')) #> '{graph,nodes}') n
          WHERE n ->> 'id' IN ('t', 'm')),
    '["manual", "manual"]'::jsonb,
    'plain and manual tasks pass through as recorded manual steps');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_doc(
        '<laneSet id="ls"><lane id="l"><flowNodeRef>s</flowNodeRef></lane></laneSet><startEvent id="s"/>'
        || '<sequenceFlow id="f1" sourceRef="s" targetRef="l"/><endEvent id="e"/>'))$$,
    'PW422', 'BPMN process p refused: f1: sequenceFlow connects l, which is not a node',
    'a sequence flow to a lane is still refused');

-- compiling is a model change's first step: a workflow_admin's (automation.require_model_admin)
SELECT tests.workflow_admin('modeler');
SET LOCAL ROLE pgwf_test_app;
SELECT set_config('app.current_user_id', 'modeler', true);
SELECT lives_ok($$SELECT flowable.bpmn_compile(tests.bpmn_doc('<laneSet id="ls"><lane id="l"><flowNodeRef>s</flowNodeRef></lane></laneSet>'
        || '<startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="e"/><endEvent id="e"/>'))$$,
    'an application login compiles a document with lanes');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
