-- Embedded sub-processes (docs/graph-model.md, "Scopes"): a subprocess node's token becomes a
-- scope holding the tokens inside it; the sub-process completes when they have all ended; a
-- terminate end inside it ends the sub-process only; stopping the run reaches every token in
-- every scope.
BEGIN;
SELECT plan(14);

SELECT tests.cr_department('OPS');
SELECT tests.cr_queue('ops_q', 'OPS');
SELECT tests.cr_role('OPERATOR', 'ops_q', 'OPS');

CREATE TEMP TABLE g AS SELECT jsonb_build_object(
    'nodes', jsonb_build_array(
        jsonb_build_object('id', 'start', 'type', 'trigger', 'position', jsonb_build_object('x', 0, 'y', 0), 'data', '{}'::jsonb),
        jsonb_build_object('id', 'sub', 'type', 'subprocess', 'position', jsonb_build_object('x', 100, 'y', 0), 'data', '{"label": "Fix it"}'::jsonb),
        jsonb_build_object('id', 'in_start', 'type', 'trigger', 'parentId', 'sub', 'position', jsonb_build_object('x', 10, 'y', 10), 'data', '{}'::jsonb),
        jsonb_build_object('id', 'in_fork', 'type', 'gateway', 'parentId', 'sub', 'position', jsonb_build_object('x', 20, 'y', 10), 'data', '{"kind": "parallel"}'::jsonb),
        jsonb_build_object('id', 'patch', 'type', 'action', 'parentId', 'sub', 'position', jsonb_build_object('x', 30, 'y', 10), 'data', '{"connector": "http"}'::jsonb),
        jsonb_build_object('id', 'review', 'type', 'task', 'parentId', 'sub', 'position', jsonb_build_object('x', 30, 'y', 40),
                           'data', '{"queueName": "ops_q", "candidateGroups": ["OPERATOR"]}'::jsonb),
        jsonb_build_object('id', 'in_end', 'type', 'end', 'parentId', 'sub', 'position', jsonb_build_object('x', 40, 'y', 10), 'data', '{}'::jsonb),
        jsonb_build_object('id', 'stop', 'type', 'end', 'parentId', 'sub', 'position', jsonb_build_object('x', 40, 'y', 40), 'data', '{"terminate": true}'::jsonb),
        jsonb_build_object('id', 'after', 'type', 'notification', 'position', jsonb_build_object('x', 200, 'y', 0), 'data', '{}'::jsonb),
        jsonb_build_object('id', 'done', 'type', 'end', 'position', jsonb_build_object('x', 300, 'y', 0), 'data', '{}'::jsonb)),
    'edges', jsonb_build_array(
        jsonb_build_object('id', 'f1', 'source', 'start', 'target', 'sub'),
        jsonb_build_object('id', 'f2', 'source', 'in_start', 'target', 'in_fork'),
        jsonb_build_object('id', 'f3', 'source', 'in_fork', 'target', 'patch'),
        jsonb_build_object('id', 'f4', 'source', 'in_fork', 'target', 'review'),
        jsonb_build_object('id', 'f5', 'source', 'patch', 'target', 'in_end'),
        jsonb_build_object('id', 'f6', 'source', 'review', 'target', 'in_end',
                           'data', jsonb_build_object('conditions', jsonb_build_array(jsonb_build_object('field', 'ok', 'operator', 'equals', 'value', true)))),
        jsonb_build_object('id', 'f7', 'source', 'review', 'target', 'stop',
                           'data', jsonb_build_object('default', true)),
        jsonb_build_object('id', 'f8', 'source', 'sub', 'target', 'after'),
        jsonb_build_object('id', 'f9', 'source', 'after', 'target', 'done'))) AS graph;
CREATE TEMP TABLE wf AS SELECT tests.automation_deployed((SELECT graph FROM g)) AS id;

SELECT is((SELECT string_agg(node_id || '<' || COALESCE(parent_node_id, '-'), ' ' ORDER BY node_id) FROM automation.workflow_nodes
           WHERE workflow_id = (SELECT id FROM wf) AND parent_node_id IS NOT NULL),
    'in_end<sub in_fork<sub in_start<sub patch<sub review<sub stop<sub', 'parentId becomes the node''s parent_node_id');

-- run 1: both inner branches end normally; the sub-process completes and the run goes on
CREATE TEMP TABLE r1 AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;
GRANT SELECT ON r1 TO PUBLIC;
SELECT results_eq($$SELECT node_id::text, state::text, scope_token_id IS NULL FROM automation.workflow_tokens
                    WHERE instance_id = (SELECT id FROM r1) ORDER BY id$$,
    $$VALUES ('sub', 'scope', true), ('patch', 'waiting', false), ('review', 'waiting', false)$$,
    'entering the sub-process makes its token a scope; the tokens inside run in it');
SELECT is((SELECT status FROM automation.workflow_executions WHERE id = tests.automation_step_id((SELECT id FROM r1), 'sub')), 'running',
    'the sub-process is a running step');
SELECT lives_ok($$SELECT automation.complete_step(c.execution_id, '{}', 'w1') FROM automation.claim_steps('w1', ARRAY['action'], 60, 10) c$$,
    'the worker completes the patch inside the sub-process');
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT id FROM r1)), 'running',
    'the sub-process waits for its other token');
SELECT tests.cr_user('ops1');
SELECT tests.cr_grant('ops1', 'OPERATOR');
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('ops1');
SELECT flowable.claim_task((SELECT task_id FROM flowable.workflow_tasks WHERE process_instance_id = (SELECT id::text FROM r1)));
SELECT flowable.complete_task((SELECT task_id FROM flowable.workflow_tasks WHERE process_instance_id = (SELECT id::text FROM r1)),
                              'done', NULL, '{"ok": true}');
RESET ROLE;
SELECT is(tests.automation_steps(id),
    'start:completed sub:completed in_start:completed in_fork:completed patch:completed review:completed in_end:completed in_end:completed after:completed done:completed',
    'when the last token inside ends, the sub-process completes and its token leaves by its outgoing flow') FROM r1;
SELECT results_eq($$SELECT status::text, progress FROM automation.workflow_instances WHERE id = (SELECT id FROM r1)$$,
    $$VALUES ('completed', 100)$$, 'the run completes');

-- run 2: a terminate end inside the sub-process ends the sub-process only
CREATE TEMP TABLE r2 AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;
GRANT SELECT ON r2 TO PUBLIC;
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('ops1');
SELECT flowable.claim_task((SELECT task_id FROM flowable.workflow_tasks WHERE process_instance_id = (SELECT id::text FROM r2)));
SELECT flowable.complete_task((SELECT task_id FROM flowable.workflow_tasks WHERE process_instance_id = (SELECT id::text FROM r2)),
                              'done', NULL, '{"ok": false}');
RESET ROLE;
SELECT is((SELECT status || ': ' || error_message FROM automation.workflow_executions WHERE id = tests.automation_step_id((SELECT id FROM r2), 'patch')),
    'cancelled: sub-process terminated by end node stop', 'a terminate end inside the sub-process cancels the other branch inside it');
SELECT ok((SELECT (SELECT count(*) FROM automation.workflow_executions WHERE instance_id = wi.id AND node_id = 'after') = 1
                  AND wi.status = 'completed' FROM automation.workflow_instances wi WHERE wi.id = (SELECT id FROM r2)),
    'the sub-process then completes and the run goes on after it to its end');
SELECT is((SELECT count(*) FROM automation.workflow_executions WHERE instance_id = (SELECT id FROM r2) AND status IN ('pending', 'running', 'waiting_approval')),
    0::bigint, 'nothing is left open');

-- run 3: cancelling the run reaches the tokens inside the sub-process
CREATE TEMP TABLE r3 AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;
SELECT tests.as_user('modeler');
SELECT lives_ok($$SELECT automation.cancel_workflow((SELECT id FROM r3), 'not needed')$$, 'a workflow_admin cancels the run');
SELECT is((SELECT status FROM flowable.workflow_tasks WHERE process_instance_id = (SELECT id::text FROM r3)), 'CANCELLED',
    'the queue task inside the sub-process is cancelled');
SELECT is((SELECT count(*) FROM automation.workflow_tokens WHERE instance_id = (SELECT id FROM r3)), 0::bigint,
    'no token is left in any scope');

-- a flow across the border of a sub-process is refused
SELECT tests.as_user('modeler');
SELECT throws_ok($$SELECT automation.save_workflow(jsonb_set((SELECT graph FROM g), '{edges,8,target}', '"patch"'), 'cross')$$,
    'PW422', 'edge f9 crosses the border of a sub-process; a flow connects two nodes of the same scope',
    'a flow from outside into a sub-process is refused');

SELECT * FROM finish();
ROLLBACK;
