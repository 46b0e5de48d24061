-- Real-world intake: several processes in one document, flowable.bpmn_check (what a
-- deployment would do, storing nothing), ignored elements kept with the version,
-- standard assignment (potentialOwner, humanPerformer), the initiator variable and
-- candidate starters enforced by start_process.
BEGIN;
SELECT plan(29);

SELECT tests.cr_queue('intake');
SELECT tests.cr_role('CLERK', 'intake');
SELECT tests.cr_role('MANAGER', 'intake');
SELECT tests.workflow_admin('admin1');
SELECT tests.cr_user('carla'), tests.cr_user('dan'), tests.cr_user('erin');
SELECT tests.cr_grant('carla', 'CLERK');

CREATE TEMP VIEW docs AS SELECT
    '<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"'
    || ' xmlns:flowable="http://flowable.org/bpmn" xmlns:pgwf="urn:pgwf:bpmn" targetNamespace="t">'
    || '<collaboration id="c"><participant id="pa" processRef="orders"/><participant id="pb" processRef="billing"/>'
    || '<messageFlow id="mf" sourceRef="pa" targetRef="pb"/></collaboration>'
    || '<process id="orders" name="Orders" isExecutable="true"><startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>'
    || '<serviceTask id="t" flowable:type="external-worker" flowable:topic="reserve-stock"/>'
    || '<sequenceFlow id="f2" sourceRef="t" targetRef="e"/><endEvent id="e"/></process>'
    || '<process id="billing" name="Billing"><startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="u"/>'
    || '<userTask id="u" pgwf:queue="intake"/><sequenceFlow id="f2" sourceRef="u" targetRef="e"/><endEvent id="e"/></process>'
    || '<process id="customer" isExecutable="false"><task id="x"/></process>'
    || '</definitions>' AS multi,
    tests.bpmn_doc('<startEvent id="s" flowable:initiator="requester"/><sequenceFlow id="f1" sourceRef="s" targetRef="u"/>'
        || '<userTask id="u" pgwf:queue="intake" flowable:assignee="$INITIATOR"/><sequenceFlow id="f2" sourceRef="u" targetRef="e"/>'
        || '<endEvent id="e"/>', 'guarded') AS guarded;
GRANT SELECT ON docs TO PUBLIC;
CREATE TEMP TABLE out (name text PRIMARY KEY, v jsonb);
GRANT ALL ON out TO PUBLIC;

-- several processes in one document
SELECT throws_ok($$SELECT flowable.bpmn_compile((SELECT multi FROM docs))$$, 'PW422',
    'BPMN document refused: it has 3 processes (orders, billing, customer), 2 of them executable; name the one to compile (p_process_id)',
    'compiling a document with several executable processes needs the process named');
SELECT is(flowable.bpmn_compile((SELECT multi FROM docs), 'billing') #>> '{process,id}', 'billing',
    'p_process_id picks one process of the document');
SELECT throws_ok($$SELECT flowable.bpmn_compile((SELECT multi FROM docs), 'nosuch')$$, 'PW422',
    'BPMN document refused: it has no process "nosuch" (its processes: orders, billing, customer)',
    'naming a process the document does not have is refused');
SELECT set_eq($$SELECT i ->> 'kind' AS kind, i ->> 'id' AS id FROM jsonb_array_elements(flowable.bpmn_compile((SELECT multi FROM docs), 'orders') -> 'ignored') i$$,
    $$VALUES ('collaboration', 'c'), ('process', 'customer')$$,
    'the collaboration and the non-executable process are kept as description; the other executable process is not "ignored"');

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('admin1');
-- the check reports and stores nothing
INSERT INTO out SELECT 'check1', flowable.bpmn_check((SELECT multi FROM docs));
SELECT is((SELECT count(*)::integer FROM flowable.workflow_definitions), 0, 'bpmn_check stores nothing');
SELECT is((SELECT jsonb_path_query_array(v, '$.processes[*].process_key') FROM out WHERE name = 'check1'),
    '["orders", "billing"]'::jsonb, 'the check lists each executable process, in document order');
SELECT is((SELECT (v #> '{processes,0}') - 'ignored' FROM out WHERE name = 'check1'),
    '{"process_key": "orders", "process_name": "Orders", "action": "deploy", "version": 1, "topics": ["reserve-stock"], "start": {}}'::jsonb,
    'for each: what it would do, the version it would get and the worker topics it needs');
INSERT INTO out SELECT 'deploy1', flowable.deploy_bpmn((SELECT multi FROM docs));
SELECT results_eq($$SELECT process_key::text, process_version, is_active, jsonb_array_length(ignored_elements)
                    FROM flowable.workflow_definitions ORDER BY process_key$$,
    $$VALUES ('billing', 1, true, 2), ('orders', 1, true, 2)$$,
    'every executable process deploys as its own version under its own key, with its ignored elements');
SELECT is((SELECT ignored_elements FROM flowable.workflow_definitions WHERE process_key = 'orders'),
    flowable.bpmn_compile((SELECT multi FROM docs), 'orders') -> 'ignored', 'the version keeps the list of what it ignored');
SELECT is((SELECT jsonb_path_query_array(v, '$.processes[*].version') FROM out WHERE name = 'deploy1'), '[1, 1]'::jsonb,
    'deploy_bpmn reports each process deployed');
SELECT is((SELECT jsonb_path_query_array(flowable.bpmn_check((SELECT multi FROM docs)), '$.processes[*].action')),
    '["unchanged", "unchanged"]'::jsonb, 'after the deployment the check says the same document changes nothing');
SELECT is(flowable.deploy_bpmn((SELECT multi FROM docs)) #>> '{processes,1,unchanged}', 'true',
    'deploying the same document again stores nothing new');

-- one refused process refuses the document; the check lists the same problems
CREATE TEMP TABLE bad AS SELECT replace((SELECT multi FROM docs), '<userTask id="u" pgwf:queue="intake"/>',
                                        '<userTask id="u" pgwf:queue="intake"/><complexGateway id="z"/>') AS xml;
SELECT throws_ok($$SELECT flowable.deploy_bpmn((SELECT xml FROM bad))$$, 'PW422',
    'BPMN process billing refused: unsupported elements: z:complexGateway',
    'a document with one refused process is refused whole');
SELECT is((SELECT max(process_version) FROM flowable.workflow_definitions), 1, 'nothing was stored by the refused deployment');
INSERT INTO out SELECT 'check2', flowable.bpmn_check((SELECT xml FROM bad));
SELECT is((SELECT v -> 'deployable' FROM out WHERE name = 'check2'), 'false'::jsonb, 'the check says the document would not deploy');
SELECT is((SELECT (v #> '{processes,1}') - 'ignored' - 'start' FROM out WHERE name = 'check2'),
    '{"process_key": "billing", "action": "refused", "refused": ["unsupported elements: z:complexGateway"], "topics": []}'::jsonb,
    'and lists the problems a deployment reports for each refused process');
SELECT is((SELECT v #>> '{processes,0,action}' FROM out WHERE name = 'check2'), 'deploy',
    'a process of the document that would deploy is still reported');
SELECT throws_ok($$SELECT flowable.deploy_bpmn(replace(replace((SELECT multi FROM docs), 'isExecutable="true"', 'isExecutable="false"'),
                                                       '<process id="billing" name="Billing">', '<process id="billing" isExecutable="false">'))$$,
    'PW422', 'BPMN document refused: none of its 3 processes (orders, billing, customer) is executable',
    'a document none of whose processes is executable is refused');
SELECT tests.as_user('');
SELECT throws_ok($$SELECT flowable.bpmn_check((SELECT multi FROM docs))$$, 'PW401',
    'bpmn_check needs an identity (app.current_user_id)', 'checking needs an identity');
RESET ROLE;

-- standard assignment
SELECT is(tests.bpmn_node(tests.bpmn_linear(
        '<userTask id="step"><potentialOwner><resourceAssignmentExpression><formalExpression>user(kermit), group(management), accountancy, ${reviewers}</formalExpression></resourceAssignmentExpression></potentialOwner>'
        || '<humanPerformer><resourceAssignmentExpression><formalExpression>''gonzo''</formalExpression></resourceAssignmentExpression></humanPerformer></userTask>'),
        'step') -> 'data',
    '{"label": "step", "candidateGroups": ["management", "accountancy", "{{reviewers}}"], "candidateUsers": ["kermit"], "assignee": "gonzo"}'::jsonb,
    'potentialOwner gives users (user(x)) and groups (group(x), a bare name, ${var}); humanPerformer the assignee');
SELECT is(tests.bpmn_node(tests.bpmn_linear(
        '<userTask id="step" flowable:candidateGroups="ops" flowable:assignee="ann"><potentialOwner><resourceAssignmentExpression>'
        || '<formalExpression>group(audit)</formalExpression></resourceAssignmentExpression></potentialOwner>'
        || '<humanPerformer><resourceAssignmentExpression><formalExpression>bob</formalExpression></resourceAssignmentExpression></humanPerformer></userTask>'),
        'step') -> 'data',
    '{"label": "step", "candidateGroups": ["ops", "audit"], "assignee": "ann"}'::jsonb,
    'vendor attributes come first and the vendor assignee wins over humanPerformer');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_linear(
        '<userTask id="step"><potentialOwner><resourceAssignmentExpression><formalExpression>user(${a.b()})</formalExpression>'
        || '</resourceAssignmentExpression></potentialOwner><humanPerformer><resourceAssignmentExpression><formalExpression>ann, bob</formalExpression>'
        || '</resourceAssignmentExpression></humanPerformer></userTask>'))$$,
    'PW422', 'BPMN process p refused: step: potentialOwner "user(${a.b()})" is outside the grammar (user(x), group(x), a name or ${variable}, comma separated); step: humanPerformer names ann, bob; it takes one user',
    'an assignment outside the grammar and a humanPerformer naming two people are refused with the task id');
SELECT is(tests.bpmn_node((SELECT guarded FROM docs), 'u') #>> '{data,assignee}', '{{initiator}}',
    '$INITIATOR as assignee is the person who started the run');
SELECT is(flowable.bpmn_compile(replace((SELECT guarded FROM docs), '<process id="guarded"',
                                        '<process flowable:candidateStarterGroups="CLERK, MANAGER" flowable:candidateStarterUsers="dan" id="guarded"')) -> 'start',
    '{"candidateStarterGroups": ["CLERK", "MANAGER"], "candidateStarterUsers": ["dan"], "initiatorVariable": "requester"}'::jsonb,
    'the compiler returns who may start the process and the start event''s initiator variable');
SELECT throws_ok($$SELECT flowable.bpmn_compile(replace((SELECT guarded FROM docs), 'flowable:initiator="requester"', 'flowable:initiator="${x}"'))$$,
    'PW422', 'BPMN process guarded refused: s: initiator "${x}" is not a variable name', 'an initiator that is not a variable name is refused');

-- candidate starters, enforced by start_process
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('admin1');
SELECT flowable.deploy_bpmn(replace((SELECT guarded FROM docs), '<process id="guarded"',
                                    '<process flowable:candidateStarterGroups="CLERK, MANAGER" flowable:candidateStarterUsers="dan" id="guarded"'));
SELECT tests.as_user('erin');
SELECT throws_ok($$SELECT flowable.start_process('guarded')$$, 'PW403', 'user erin may not start process guarded',
    'someone who is neither a candidate starter nor holds a starter group is refused');
SELECT tests.as_user('carla');
INSERT INTO out SELECT 'run_carla', to_jsonb(flowable.start_process('guarded'));
SELECT tests.as_user('dan');
INSERT INTO out SELECT 'run_dan', to_jsonb(flowable.start_process('guarded'));
RESET ROLE;
SELECT is((SELECT variables ->> 'requester' FROM flowable.process_instances WHERE process_instance_id = (SELECT v #>> '{}' FROM out WHERE name = 'run_carla')),
    'carla', 'a holder of a starter group starts it, and the initiator variable names her');
SELECT is((SELECT assignee_id::text FROM flowable.workflow_tasks WHERE process_instance_id = (SELECT v #>> '{}' FROM out WHERE name = 'run_carla')),
    'carla', 'the $INITIATOR task is assigned to the starter');
SELECT is((SELECT started_by::text FROM flowable.process_instances WHERE process_instance_id = (SELECT v #>> '{}' FROM out WHERE name = 'run_dan')),
    'dan', 'a candidate starter user starts it');

SELECT * FROM finish();
ROLLBACK;
