-- Call activities from BPMN (docs/bpmn.md, "Call activities"): callActivity compiles to a call
-- node with the Flowable, Activiti and Camunda ways of naming the process, its version and the
-- variables passed in and out; what pgwf cannot run is refused naming the element; the export
-- writes it back; a document whose process calls another one runs end to end.
BEGIN;
SELECT plan(14);

SELECT tests.cr_queue('credit_q');
SELECT tests.cr_role('ANALYST', 'credit_q');
SELECT tests.workflow_admin('admin1');
SELECT tests.cr_user('ana');
SELECT tests.cr_grant('ana', 'ANALYST');

CREATE FUNCTION pg_temp.call_node(p_call text, p_extra text DEFAULT '') RETURNS jsonb LANGUAGE sql AS $$
    SELECT tests.bpmn_node(tests.bpmn_doc(
        '<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="step"/>' || p_call
        || '<sequenceFlow id="f2" sourceRef="step" targetRef="e"/><endEvent id="e"/>' || p_extra), 'step');
$$;
CREATE FUNCTION pg_temp.refusal(p_call text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_temp.call_node(p_call);
    RETURN 'accepted';
EXCEPTION WHEN SQLSTATE 'PW422' THEN
    RETURN SQLERRM;
END;
$$;

SELECT is(pg_temp.call_node(
    '<callActivity id="step" name="Check credit" calledElement="creditCheck" flowable:inheritBusinessKey="true">'
    || '<extensionElements><flowable:in source="amount" target="amount"/><flowable:in sourceExpression="${customer.id}" target="customerId"/>'
    || '<flowable:out source="score" target="creditScore"/></extensionElements></callActivity>'),
    '{"id": "step", "type": "call", "position": {"x": 200, "y": 0},
      "data": {"label": "Check credit", "calledElement": "creditCheck", "inheritBusinessKey": true,
               "in": [{"source": "amount", "target": "amount"}, {"sourceExpression": "{{customer.id}}", "target": "customerId"}],
               "out": [{"source": "score", "target": "creditScore"}]}}'::jsonb,
    'a Flowable call activity: the key, the business key inherited, in and out mappings with a source or an expression');
SELECT is(pg_temp.call_node(
    '<callActivity id="step" calledElement="${which}" camunda:calledElementBinding="version" camunda:calledElementVersion="3">'
    || '<extensionElements><camunda:in variables="all"/><camunda:in businessKey="#{execution.processBusinessKey}"/>'
    || '<camunda:out source="result"/></extensionElements></callActivity>') -> 'data',
    '{"label": "step", "calledElement": "{{which}}", "calledElementBinding": "version", "calledElementVersion": 3,
      "inheritBusinessKey": true, "in": [{"all": true}], "out": [{"source": "result", "target": "result"}]}'::jsonb,
    'a Camunda call activity: the key from a variable, a version binding, all variables in, the business key passed on');
SELECT is(pg_temp.call_node('<callActivity id="step" calledElement="sub" flowable:sameDeployment="true" flowable:inheritVariables="true"/>') -> 'data',
    '{"label": "step", "calledElement": "sub", "calledElementBinding": "deployment", "inheritVariables": true}'::jsonb,
    'Flowable''s sameDeployment is the deployment binding; inheritVariables passes every variable');
SELECT is(pg_temp.call_node('<callActivity id="step" calledElement="sub"><multiInstanceLoopCharacteristics isSequential="true">'
                            || '<loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics></callActivity>')
          #> '{data,multiInstance}',
    '{"loopCardinality": 2, "sequential": true}'::jsonb, 'a call activity may repeat (multi-instance)');
SELECT is(pg_temp.call_node('<callActivity id="step" calledElement="sub"/>',
                            '<boundaryEvent id="late" attachedToRef="step"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>'
                            || '<sequenceFlow id="f3" sourceRef="late" targetRef="e"/>') ->> 'type',
    'call', 'a boundary event may be attached to a call activity');

SELECT is(pg_temp.refusal('<callActivity id="step"/>'),
    'BPMN process p refused: step: callActivity names no calledElement (the key of the process to call)',
    'a call activity that names no process is refused');
SELECT is(pg_temp.refusal('<callActivity id="step" camunda:caseRef="case1"/>'),
    'BPMN process p refused: step: callActivity names no calledElement (the key of the process to call); step: camunda:caseRef calls a CMMN case; pgwf runs BPMN processes',
    'a call of a CMMN case is refused');
SELECT is(pg_temp.refusal('<callActivity id="step" calledElement="sub" camunda:variableMappingClass="org.example.Mapper"/>'),
    'BPMN process p refused: step: variable mapping by Java code (org.example.Mapper) is not run; map variables with in and out elements',
    'variable mapping by Java code is refused');
SELECT is(pg_temp.refusal('<callActivity id="step" calledElement="sub"><extensionElements><flowable:in sourceExpression="${a + b}" target="c"/></extensionElements></callActivity>'),
    'BPMN process p refused: step: in sourceExpression "${a + b}" is outside the grammar (text with ${path})',
    'an expression pgwf cannot evaluate is refused, naming the element');
SELECT is(pg_temp.refusal('<callActivity id="step" calledElement="sub" flowable:calledElementType="id"/>'),
    'BPMN process p refused: step: calledElementType "id" calls a definition by its id; pgwf calls a process by its key',
    'a call by definition id is refused');

-- the export writes the call back
CREATE TEMP TABLE g AS SELECT flowable.bpmn_compile(tests.bpmn_doc(
    '<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="step"/>'
    || '<callActivity id="step" calledElement="${which}" camunda:calledElementBinding="version" camunda:calledElementVersion="2" flowable:businessKey="${order}">'
    || '<extensionElements><flowable:in variables="all"/><flowable:out sourceExpression="score ${score}" target="summary"/></extensionElements></callActivity>'
    || '<sequenceFlow id="f2" sourceRef="step" targetRef="e"/><endEvent id="e"/>')) -> 'graph' AS graph;
GRANT SELECT ON g TO PUBLIC;
SELECT is((SELECT n -> 'data' FROM g, jsonb_array_elements(flowable.bpmn_compile(flowable.bpmn_from_graph(graph, 'p', 'Test process', NULL)) #> '{graph,nodes}') n
           WHERE n ->> 'id' = 'step'),
          (SELECT n -> 'data' FROM g, jsonb_array_elements(graph -> 'nodes') n WHERE n ->> 'id' = 'step'),
    'a call node exported to BPMN compiles back to the same node');

-- a document whose process calls another one of it, run end to end
CREATE TEMP VIEW doc AS SELECT
    '<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"'
    || ' xmlns:flowable="http://flowable.org/bpmn" xmlns:pgwf="urn:pgwf:bpmn" targetNamespace="t">'
    || '<process id="loan" isExecutable="true"><startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="check"/>'
    || '<callActivity id="check" calledElement="creditCheck" flowable:inheritBusinessKey="true"><extensionElements>'
    || '<flowable:in source="amount" target="amount"/><flowable:out source="score" target="creditScore"/></extensionElements></callActivity>'
    || '<sequenceFlow id="f2" sourceRef="check" targetRef="e"/><endEvent id="e"/></process>'
    || '<process id="creditCheck" isExecutable="true"><startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="rate"/>'
    || '<userTask id="rate" pgwf:queue="credit_q" flowable:candidateGroups="ANALYST"/>'
    || '<sequenceFlow id="f2" sourceRef="rate" targetRef="e"/><endEvent id="e"/></process>'
    || '</definitions>' AS xml;
GRANT SELECT ON doc TO PUBLIC;
CREATE TEMP TABLE run (id text);
GRANT ALL ON run TO PUBLIC;
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('admin1');
SELECT is(jsonb_path_query_array(flowable.deploy_bpmn((SELECT xml FROM doc)), '$.processes[*].process_key'), '["loan", "creditCheck"]'::jsonb,
    'both processes of the document deploy');
INSERT INTO run SELECT flowable.start_process('loan', 'LOAN-1', '{"amount": 5000}');
SELECT tests.as_user('ana');
SELECT results_eq($$SELECT t.task_definition_key::text, pi.business_key::text, pi.parent_process_id::text = (SELECT id FROM run)
                    FROM flowable.workflow_tasks t JOIN flowable.process_instances pi ON pi.process_instance_id = t.process_instance_id
                    WHERE t.status = 'OPEN'$$,
    $$VALUES ('rate', 'LOAN-1', true)$$,
    'the called process''s task is in the inbox, its case carries the business key and names the caller as parent');
SELECT flowable.claim_task((SELECT task_id FROM flowable.workflow_tasks WHERE task_definition_key = 'rate'));
SELECT flowable.complete_task((SELECT task_id FROM flowable.workflow_tasks WHERE task_definition_key = 'rate'), 'done', NULL, '{"score": 710}');
RESET ROLE;
SELECT results_eq($$SELECT status::text, output_data -> 'creditScore' FROM automation.workflow_instances WHERE id::text = (SELECT id FROM run)$$,
    $$VALUES ('completed', '710'::jsonb)$$, 'when the called process completes, the caller takes its score back and completes');

SELECT * FROM finish();
ROLLBACK;
