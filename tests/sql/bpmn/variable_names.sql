-- Every name in a BPMN condition or attribute is a process variable, whatever it is called:
-- a variable named input or steps is not the engine's own data (which drawn models address as
-- $input.* and $steps.*), and a drawn model that writes input.* or steps.* is refused as
-- ambiguous at save time.
BEGIN;
SELECT plan(8);

SELECT is(flowable.compile_condition_expression('${input == 3}', 'g1'),
    '{"field": "$variables.input", "operator": "equals", "value": 3}'::jsonb,
    'a BPMN variable named input compiles to the explicit variable path');
SELECT is(flowable.compile_condition_expression('${steps.count > 1 && true_value}', 'g1'),
    '{"all": [{"field": "$variables.steps.count", "operator": "greater_than", "value": 1}, {"field": "true_value", "operator": "equals", "value": true}]}'::jsonb,
    'steps.* is a variable path too, and true_value is a name, not the literal true');
SELECT is(flowable.bpmn_value_template('${input.owner}'), '{{$variables.input.owner}}', 'an attribute ${input.owner} reads the variable input');

SELECT tests.cr_department('REVIEWS');
SELECT tests.cr_queue('review', 'REVIEWS');
SELECT tests.cr_role('REVIEWER', 'review', 'REVIEWS');
SELECT tests.workflow_admin('deployer');
INSERT INTO entitlements.users (user_id, username) VALUES ('alice', 'alice') ON CONFLICT (user_id) DO NOTHING;
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('deployer');
SELECT flowable.deploy_process(tests.bpmn_doc(
    '<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="fan"/>'
    || '<inclusiveGateway id="fan" default="f4"/>'
    || '<sequenceFlow id="f2" sourceRef="fan" targetRef="a"><conditionExpression>${input == 3}</conditionExpression></sequenceFlow>'
    || '<sequenceFlow id="f3" sourceRef="fan" targetRef="b"><conditionExpression>${input &gt; 2}</conditionExpression></sequenceFlow>'
    || '<sequenceFlow id="f4" sourceRef="fan" targetRef="e"/>'
    || '<userTask id="a" flowable:candidateGroups="REVIEWER"/><userTask id="b" flowable:candidateGroups="REVIEWER"/>'
    || '<sequenceFlow id="f5" sourceRef="a" targetRef="e"/><sequenceFlow id="f6" sourceRef="b" targetRef="e"/><endEvent id="e"/>',
    'inputVar'));
SELECT tests.as_user('alice');
CREATE TEMP TABLE run AS SELECT flowable.start_process('inputVar', NULL, '{"input": 3}') AS id;
RESET ROLE;
SELECT results_eq($$SELECT task_definition_key::text FROM flowable.workflow_tasks WHERE process_instance_id = (SELECT id FROM run) ORDER BY 1$$,
    $$VALUES ('a'), ('b')$$,
    '${input == 3} on an inclusive gateway reads the variable: both user tasks open, the default flow is not taken');
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT id::uuid FROM run)), 'running',
    'the run waits in its two tasks');

SELECT tests.workflow_admin('modeler');
SELECT tests.as_user('modeler');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph(
        '[["start", "trigger"], ["c", "condition", {"condition": {"field": "input.cvss", "operator": "greater_than", "value": 7}}], ["y", "end"], ["n", "end"]]',
        '[["start", "c"], ["c", "y", "true"], ["c", "n", "false"]]'), 'ambiguous')$$,
    'PW422', 'node c uses the path ''input.cvss'', which is ambiguous',
    'a drawn condition on input.* is refused as ambiguous, naming the node');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph(
        '[["start", "trigger"], ["note", "notification", {"subject": "Found {{ steps.scan.count }}"}]]',
        '[["start", "note", null, {"conditions": [{"field": "steps", "operator": "exists"}]}]]'), 'ambiguous')$$,
    'PW422', 'node note uses the path ''steps.scan.count'', which is ambiguous',
    'a drawn template on steps.* is refused as ambiguous, naming the node');
SELECT lives_ok($$SELECT automation.save_workflow(tests.automation_graph(
        '[["start", "trigger"], ["note", "notification", {"subject": "{{$input.host}} {{$steps.start.x}} {{$variables.input}}"}]]',
        '[["start", "note"]]'), 'explicit')$$,
    'the explicit $input, $steps and $variables paths are accepted');

SELECT * FROM finish();
ROLLBACK;
