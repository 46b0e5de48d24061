-- flowable.export_bpmn: any deployed version, drawn or deployed from BPMN,
-- exports BPMN 2.0 with diagram interchange that redeploys to an equivalent graph.
BEGIN;
SELECT plan(8);

CREATE TEMP TABLE ids (name text PRIMARY KEY, id bigint, wf uuid);
GRANT ALL ON ids TO PUBLIC;
SELECT tests.cr_queue('security_approvals');
SELECT tests.cr_queue('finance');
SELECT tests.cr_role('FINANCE', 'finance');
SELECT tests.workflow_admin('designer');
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('designer');

-- a model drawn in the editor, deployed through the automation engine
INSERT INTO ids (name, wf) SELECT 'drawn', automation.save_workflow('{
  "nodes": [
    {"id": "start", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {"label": "Finding", "triggerType": "manual"}},
    {"id": "severe", "type": "condition", "position": {"x": 200, "y": 0},
     "data": {"label": "Severe?", "condition": {"field": "cvss", "operator": "greater_than", "value": 7}}},
    {"id": "fix", "type": "task", "position": {"x": 400, "y": -80},
     "data": {"label": "Fix it", "queueName": "security_approvals", "candidateGroups": ["SECURITY_TEAM"]}},
    {"id": "log", "type": "notification", "position": {"x": 400, "y": 80},
     "data": {"label": "Log it", "channel": "slack", "recipients": ["#sec"], "message": "low"}},
    {"id": "done", "type": "end", "position": {"x": 600, "y": 0}, "data": {"label": "Done"}}
  ],
  "edges": [
    {"id": "e1", "source": "start", "target": "severe"},
    {"id": "e2", "source": "severe", "target": "fix", "sourceHandle": "true"},
    {"id": "e3", "source": "severe", "target": "log", "sourceHandle": "false"},
    {"id": "e4", "source": "fix", "target": "done"},
    {"id": "e5", "source": "log", "target": "done"}
  ],
  "viewport": {"x": 0, "y": 0, "zoom": 1}}'::jsonb, 'Drawn finding triage');
UPDATE ids SET id = automation.deploy_workflow(wf) WHERE name = 'drawn';

SELECT ok(xml_is_well_formed_document(flowable.export_bpmn((SELECT id FROM ids WHERE name = 'drawn'))),
    'a drawn, deployed model exports as a well-formed document');
SELECT ok(xpath_exists('/b:definitions/di:BPMNDiagram/di:BPMNPlane/di:BPMNShape',
        flowable.export_bpmn((SELECT id FROM ids WHERE name = 'drawn'))::xml,
        ARRAY[ARRAY['b', 'http://www.omg.org/spec/BPMN/20100524/MODEL'], ARRAY['di', 'http://www.omg.org/spec/BPMN/20100524/DI']]),
    'the export carries diagram interchange shapes');
SELECT is((SELECT bpmn_xml FROM flowable.workflow_definitions WHERE workflow_id = (SELECT id FROM ids WHERE name = 'drawn')),
    flowable.export_bpmn((SELECT id FROM ids WHERE name = 'drawn')), 'deploying a drawn model stores its exported BPMN in bpmn_xml');
INSERT INTO ids (name, id) SELECT 'redeployed', flowable.deploy_process(flowable.export_bpmn((SELECT id FROM ids WHERE name = 'drawn')));
RESET ROLE;
SELECT is((SELECT w.workflow_data FROM automation.workflows w JOIN flowable.workflow_definitions d ON d.deployment_id = w.id::text
           WHERE d.workflow_id = (SELECT id FROM ids WHERE name = 'redeployed')),
          (SELECT w.workflow_data - 'viewport' || '{"viewport": {"x": 0, "y": 0, "zoom": 1}}'
           || jsonb_build_object('nodes', (SELECT jsonb_agg(CASE WHEN n ->> 'id' = 'done'
                                                               THEN jsonb_set(n, '{data}', n -> 'data' || '{"terminate": false}')
                                                               ELSE n END ORDER BY o)
                                            FROM jsonb_array_elements(w.workflow_data -> 'nodes') WITH ORDINALITY AS x(n, o)))
           || jsonb_build_object('edges', (SELECT jsonb_agg(e || '{"type": "smoothstep"}' ORDER BY o)
                                            FROM jsonb_array_elements(w.workflow_data -> 'edges') WITH ORDINALITY AS x(e, o)))
           FROM automation.workflows w WHERE w.id = (SELECT wf FROM ids WHERE name = 'drawn')),
    'redeploying the export of a drawn model gives its graph (with the documented defaults made explicit)');
SELECT is((SELECT process_key::text FROM flowable.workflow_definitions WHERE workflow_id = (SELECT id FROM ids WHERE name = 'redeployed')),
    (SELECT CASE WHEN process_key ~ '^[A-Za-z_]' THEN process_key::text ELSE 'p_' || process_key END
     FROM flowable.workflow_definitions WHERE workflow_id = (SELECT id FROM ids WHERE name = 'drawn')),
    'the model key becomes the process id (prefixed when it does not start like an XML name)');

-- a BPMN deployment exports to a document that redeploys to the same graph
SET LOCAL ROLE pgwf_test_app;
INSERT INTO ids (name, id) SELECT 'bpmn', flowable.deploy_process(tests.bpmn_doc(
    '<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="g"/>'
    || '<exclusiveGateway id="g" default="f3"/>'
    || '<sequenceFlow id="f2" sourceRef="g" targetRef="t"><conditionExpression>${amount >= 1000}</conditionExpression></sequenceFlow>'
    || '<sequenceFlow id="f3" sourceRef="g" targetRef="e"/>'
    || '<userTask id="t" name="Approve" flowable:candidateGroups="FINANCE" flowable:dueDate="PT8H"/>'
    || '<sequenceFlow id="f4" sourceRef="t" targetRef="e"/><endEvent id="e"/>', 'spend'));
SELECT is(flowable.bpmn_compile(flowable.export_bpmn((SELECT id FROM ids WHERE name = 'bpmn'))),
          (SELECT jsonb_build_object('process', '{"id": "spend", "name": "Test process", "documentation": null, "isExecutable": true}'::jsonb,
                                     'graph', w.workflow_data, 'ignored', '[]'::jsonb, 'start', '{}'::jsonb)
           FROM automation.workflows w JOIN flowable.workflow_definitions d ON d.deployment_id = w.id::text
           WHERE d.workflow_id = (SELECT id FROM ids WHERE name = 'bpmn')),
    'a BPMN deployment exports to BPMN that compiles to the deployed graph');
SELECT is(flowable.deploy_process(flowable.export_bpmn((SELECT id FROM ids WHERE name = 'bpmn'))),
          (SELECT id FROM ids WHERE name = 'bpmn') + 1, 'the export redeploys (as a new version, its text differs)');
SELECT throws_ok($$SELECT flowable.export_bpmn(-1)$$, 'PW404', 'workflow definition -1 does not exist',
    'exporting a missing definition is refused');

SELECT * FROM finish();
ROLLBACK;
