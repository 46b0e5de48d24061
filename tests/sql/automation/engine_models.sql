-- Models: save_workflow keeps workflow_nodes/workflow_edges exactly in step with the React Flow
-- JSON, refuses each invalid graph with PW422 naming the node or edge and writes nothing,
-- makes deployed or run versions immutable (a save makes a new version); deploy_workflow
-- registers versions in flowable.workflow_definitions.
BEGIN;
SELECT plan(38);

SELECT tests.workflow_admin('modeler'), tests.as_user('modeler');
CREATE TEMP TABLE g AS SELECT $j${
  "nodes": [
    {"id": "start", "type": "trigger", "position": {"x": 0.4, "y": 10.6}, "data": {"label": "Scanner finding", "triggerType": "event"}},
    {"id": "check", "type": "condition", "position": {"x": 200, "y": 0},
     "data": {"label": "CVSS > 7?", "condition": {"field": "cvss_score", "operator": "greater_than", "value": 7}}},
    {"id": "issue", "type": "action", "position": {"x": 400, "y": 0}, "data": {"connector": "gitlab", "enabled": false}},
    {"id": "done", "type": "end", "position": {"x": 400, "y": 200}}
  ],
  "edges": [
    {"id": "e1", "source": "start", "target": "check", "type": "smoothstep"},
    {"id": "e2", "source": "check", "target": "issue", "sourceHandle": "true"},
    {"id": "e3", "source": "check", "target": "done", "sourceHandle": "false", "data": {"conditions": [{"field": "x", "operator": "exists"}]}},
    {"id": "e4", "source": "issue", "target": "done", "type": "step", "data": {"default": true}}
  ],
  "viewport": {"x": 0, "y": 0, "zoom": 1}}$j$::jsonb AS data;
CREATE TEMP TABLE v1 AS SELECT automation.save_workflow((SELECT data FROM g), 'scan triage') AS id;

SELECT results_eq($$SELECT node_id::text, node_type::text, label::text, position_x, position_y, configuration, is_enabled
                    FROM automation.workflow_nodes WHERE workflow_id = (SELECT id FROM v1) ORDER BY position_x, node_id$$,
    $$VALUES ('start', 'trigger', 'Scanner finding', 0, 11, '{"triggerType": "event"}'::jsonb, true),
             ('check', 'condition', 'CVSS > 7?', 200, 0, '{"condition": {"field": "cvss_score", "operator": "greater_than", "value": 7}}'::jsonb, true),
             ('done', 'end', 'done', 400, 200, '{}'::jsonb, true),
             ('issue', 'action', 'issue', 400, 0, '{"connector": "gitlab"}'::jsonb, false)$$,
    'each React Flow node is one workflow_nodes row: label (else the id), rounded position, data as configuration, enabled');
SELECT results_eq($$SELECT edge_id::text, source_node_id::text, target_node_id::text, source_handle::text, edge_type::text, conditions
                    FROM automation.workflow_edges WHERE workflow_id = (SELECT id FROM v1) ORDER BY edge_id$$,
    $$VALUES ('e1', 'start', 'check', NULL, 'smoothstep', NULL::jsonb),
             ('e2', 'check', 'issue', 'true', 'smoothstep', NULL),
             ('e3', 'check', 'done', 'false', 'smoothstep', '{"conditions": [{"field": "x", "operator": "exists"}]}'),
             ('e4', 'issue', 'done', NULL, 'step', '{"default": true}')$$,
    'each React Flow edge is one workflow_edges row with handles, type (default smoothstep) and routing conditions');
SELECT results_eq($$SELECT version::text, created_by::text, workflow_data = (SELECT data FROM g) FROM automation.workflows WHERE id = (SELECT id FROM v1)$$,
    $$VALUES ('1.0.0', 'modeler', true)$$, 'a new model is version 1.0.0, saved as the current user, with the JSON as sent');

-- an unlocked version is edited in place and its rows follow
SELECT is(automation.save_workflow(tests.automation_graph('[["t", "trigger"], ["n", "notification"]]', '[["t", "n"]]'),
                                   'scan triage', (SELECT id FROM v1)), (SELECT id FROM v1),
    'saving a version that is neither deployed nor run edits it in place');
SELECT results_eq($$SELECT string_agg(node_id, ',' ORDER BY node_id) FROM automation.workflow_nodes WHERE workflow_id = (SELECT id FROM v1)$$,
    $$VALUES ('n,t')$$, 'the node rows are exactly the new JSON''s nodes (removed ones are gone)');
SELECT results_eq($$SELECT string_agg(edge_id || ':' || source_node_id || '>' || target_node_id, ',') FROM automation.workflow_edges WHERE workflow_id = (SELECT id FROM v1)$$,
    $$VALUES ('e1:t>n')$$, 'the edge rows are exactly the new JSON''s edges');

-- deployed versions are immutable
SELECT isnt(automation.deploy_workflow((SELECT id FROM v1)), NULL, 'a version deploys into flowable.workflow_definitions');
SELECT results_eq($$SELECT process_key::text, process_version, deployment_id::text, is_active FROM flowable.workflow_definitions
                    WHERE deployment_id = (SELECT id FROM v1)::text$$,
    $$SELECT workflow_key::text, 1, id::text, true FROM automation.workflows WHERE id = (SELECT id FROM v1)$$,
    'the definition has the model''s key, version 1 and points at the workflow version');
SELECT is(automation.deploy_workflow((SELECT id FROM v1)), (SELECT workflow_id FROM flowable.workflow_definitions WHERE deployment_id = (SELECT id FROM v1)::text),
    'deploying the same version again returns its definition');
CREATE TEMP TABLE v2 AS SELECT automation.save_workflow((SELECT data FROM g), 'scan triage v2', (SELECT id FROM v1)) AS id;
SELECT isnt((SELECT id FROM v2), (SELECT id FROM v1), 'saving a deployed version makes a new version');
SELECT results_eq($$SELECT w2.version::text, w2.workflow_key = w1.workflow_key, w1.name::text
                    FROM automation.workflows w1, automation.workflows w2 WHERE w1.id = (SELECT id FROM v1) AND w2.id = (SELECT id FROM v2)$$,
    $$VALUES ('1.1.0', true, 'scan triage')$$, 'the new version shares the model key, is 1.1.0, and the deployed one is unchanged');
SELECT is((SELECT count(*) FROM automation.workflow_nodes WHERE workflow_id = (SELECT id FROM v1)), 2::bigint,
    'the deployed version keeps its own nodes');
SELECT automation.deploy_workflow((SELECT id FROM v2));
SELECT results_eq($$SELECT d.process_version, d.is_active FROM flowable.workflow_definitions d JOIN automation.workflows w ON w.workflow_key = d.process_key
                    WHERE w.id = (SELECT id FROM v1) ORDER BY 1$$,
    $$VALUES (1, false), (2, true)$$, 'deploying the next version makes it version 2 and the active one');

-- whatever the path, a deployed version's graph does not change
SELECT throws_ok($$UPDATE automation.workflow_nodes SET label = 'changed' WHERE workflow_id = (SELECT id FROM v1)$$, 'PW409',
    format('workflow version %s is deployed or has runs: its nodes cannot be changed', (SELECT id FROM v1)),
    'a deployed version''s nodes cannot be changed directly');
SELECT throws_ok($$DELETE FROM automation.workflow_edges WHERE workflow_id = (SELECT id FROM v1)$$, 'PW409', NULL,
    'a deployed version''s edges cannot be deleted');
SELECT throws_ok($$UPDATE automation.workflows SET workflow_data = '{"nodes": [], "edges": []}' WHERE id = (SELECT id FROM v1)$$, 'PW409', NULL,
    'a deployed version''s workflow_data cannot be changed');
SELECT lives_ok($$UPDATE automation.workflows SET description = 'still described', is_active = true WHERE id = (SELECT id FROM v1)$$,
    'a deployed version''s name, description and activity stay editable');
CREATE TEMP TABLE draft AS SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"]]'), 'draft') AS id;
SELECT lives_ok($$UPDATE automation.workflow_nodes SET label = 'draft label' WHERE workflow_id = (SELECT id FROM draft)$$,
    'a version that is neither deployed nor run can be edited');

-- a version with runs is immutable too
CREATE TEMP TABLE v3 AS SELECT tests.automation_deployed(tests.automation_graph('[["t", "trigger"]]')) AS id;
SELECT ok(automation.is_workflow_locked((SELECT id FROM v3)), 'a deployed version is locked');

-- validation: each rule refuses with PW422 naming the culprit, and nothing is written
CREATE TEMP TABLE before AS SELECT count(*) AS n FROM automation.workflows;
SELECT throws_ok($$SELECT automation.save_workflow('{"nodes": {}}', 'x')$$, 'PW422',
    'workflow_data must be an object with a "nodes" array and an "edges" array', 'a graph without a nodes array is refused');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"], ["x", "script"]]'), 'x')$$, 'PW422',
    'node x has unknown type ''script''', 'an unknown node type is refused, naming the node');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"], ["t", "end"]]'), 'x')$$, 'PW422',
    'node id t appears more than once', 'a duplicate node id is refused');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"], ["a", "end"]]', '[["t", "a"], ["t", "a"]]') #- '{edges,1,id}' ||
                   jsonb_build_object('edges', '[{"id": "e1", "source": "t", "target": "a"}, {"id": "e1", "source": "t", "target": "a"}]'::jsonb), 'x')$$,
    'PW422', 'edge id e1 appears more than once', 'a duplicate edge id is refused');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"]]', '[["t", "ghost"]]'), 'x')$$, 'PW422',
    'edge e1 has target ''ghost'', which is not a node of the workflow', 'an edge to a missing node is refused, naming edge and node');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["a", "action"], ["b", "end"]]', '[["a", "b"]]'), 'x')$$, 'PW422',
    'the workflow has no trigger node', 'a graph without a trigger node is refused');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"], ["a", "action"], ["island", "notification"]]', '[["t", "a"]]'), 'x')$$, 'PW422',
    'node island cannot be reached from any trigger node', 'a node unreachable from a trigger is refused, naming it');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"], ["c", "condition", {"condition": {"field": "a", "operator": "like", "value": 1}}], ["y", "end"], ["n", "end"]]',
                   '[["t", "c"], ["c", "y", "true"], ["c", "n", "false"]]'), 'x')$$, 'PW422',
    'condition node c has a malformed condition: unknown operator ''like'' in the condition on field a', 'a condition with an unknown operator is refused');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"], ["c", "condition", {"condition": {"operator": "equals", "value": 1}}], ["y", "end"], ["n", "end"]]',
                   '[["t", "c"], ["c", "y", "true"], ["c", "n", "false"]]'), 'x')$$, 'PW422',
    'condition node c has a malformed condition: a condition needs a "field" (a dot path)', 'a condition without a field is refused');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"], ["c", "condition", {"condition": {"field": "a", "operator": "exists"}}], ["y", "end"]]',
                   '[["t", "c"], ["c", "y", "true"]]'), 'x')$$, 'PW422',
    'node c has no outgoing edge for the outcome ''false''', 'a condition node without both outcomes is refused');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"], ["a", "end"]]',
                   '[["t", "a", null, {"conditions": [{"field": "a", "operator": "in", "value": 3}]}]]'), 'x')$$, 'PW422',
    'edge e1 has a malformed condition: the "in" condition on field a needs an array value', 'a malformed edge condition is refused, naming the edge');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"], ["c", "condition", {"condition": {"field": "a", "operator": "exists"}}], ["y", "end"], ["n", "end"]]',
                   '[["t", "c"], ["c", "y", "true"], ["c", "n", "false"], ["c", "n"]]'), 'x')$$, 'PW422',
    'edge e4 leaves condition node c without an outcome handle (true or false)', 'an edge leaving a condition node without an outcome is refused');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"], ["ap", "approval", {"approverRole": "manager"}], ["y", "end"]]',
                   '[["t", "ap"], ["ap", "y", "approved"]]'), 'x')$$, 'PW422',
    'node ap has no outgoing edge for the outcome ''rejected''', 'an approval node without a rejected edge is refused');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"], ["ap", "approval"], ["y", "end"], ["n", "end"]]',
                   '[["t", "ap"], ["ap", "y", "approved"], ["ap", "n", "rejected"]]'), 'x')$$, 'PW422',
    'approval node ap needs data.approverRole (a role code) and a numeric expiresInMinutes if any', 'an approval node without approverRole is refused');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"], ["z", "end"], ["after", "notification"]]',
                   '[["t", "z"], ["z", "after"]]'), 'x')$$, 'PW422',
    'edge e2 leaves end node z; an end node has no outgoing edges', 'an edge leaving an end node is refused');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"], ["g", "gateway", {"kind": "complex"}]]', '[["t", "g"]]'), 'x')$$, 'PW422',
    'gateway node g has data.kind outside exclusive, parallel, inclusive, eventBased', 'an unknown gateway kind is refused');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"], ["tk", "task"]]', '[["t", "tk"]]'), 'x')$$, 'PW422',
    'task node tk needs data.queueName', 'a task node without a queue is refused');
SELECT is((SELECT count(*) FROM automation.workflows), (SELECT n FROM before), 'refused saves wrote nothing');

SELECT tests.as_user('');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"]]'), 'x')$$, 'PW401', NULL,
    'saving needs an identity');

SELECT * FROM finish();
ROLLBACK;
