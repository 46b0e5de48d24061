-- The physical design under the engine's hot path (docs/architecture.md, "The engine's hot
-- path"): edge_order restates the model's edge order, which an exclusive gateway follows; a
-- deleted run takes its tokens with it although workflow_tokens has no foreign key to it; a
-- notification's outbox row names its step; progress still follows steps written outside the
-- engine's batch.
BEGIN;
SELECT plan(7);

SELECT tests.cr_department('OPS');
SELECT tests.cr_queue('ops_q', 'OPS');

-- the gateway's edges: z_first comes first in the model, a_second second (edge ids sort the other way)
CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(jsonb_build_object(
    'nodes', jsonb_build_array(
        jsonb_build_object('id', 'start', 'type', 'trigger', 'position', '{"x": 0, "y": 0}'::jsonb),
        jsonb_build_object('id', 'gw', 'type', 'gateway', 'position', '{"x": 0, "y": 0}'::jsonb, 'data', '{"kind": "exclusive"}'::jsonb),
        jsonb_build_object('id', 'tell', 'type', 'notification', 'position', '{"x": 0, "y": 0}'::jsonb,
                           'data', '{"channel": "email", "recipients": ["ops@example.org"], "subject": "hi"}'::jsonb),
        jsonb_build_object('id', 'wait', 'type', 'task', 'position', '{"x": 0, "y": 0}'::jsonb, 'data', '{"queueName": "ops_q"}'::jsonb),
        jsonb_build_object('id', 'other', 'type', 'end', 'position', '{"x": 0, "y": 0}'::jsonb),
        jsonb_build_object('id', 'done', 'type', 'end', 'position', '{"x": 0, "y": 0}'::jsonb)),
    'edges', jsonb_build_array(
        jsonb_build_object('id', 'm1', 'source', 'start', 'target', 'gw'),
        jsonb_build_object('id', 'z_first', 'source', 'gw', 'target', 'tell'),
        jsonb_build_object('id', 'a_second', 'source', 'gw', 'target', 'other'),
        jsonb_build_object('id', 'm2', 'source', 'tell', 'target', 'wait'),
        jsonb_build_object('id', 'm3', 'source', 'wait', 'target', 'done')))) AS id;

SELECT results_eq($$SELECT edge_id::text, edge_order FROM automation.workflow_edges WHERE workflow_id = (SELECT id FROM wf) ORDER BY edge_order$$,
    $$VALUES ('m1', 1), ('z_first', 2), ('a_second', 3), ('m2', 4), ('m3', 5)$$,
    'edge_order is each edge''s place in workflow_data');
CREATE TEMP TABLE r AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;
SELECT is(tests.automation_steps(id), 'start:completed gw:completed tell:completed wait:running',
    'an exclusive gateway whose flows both hold takes the first in the model''s order') FROM r;
SELECT is((SELECT n.execution_id FROM automation.workflow_notifications n WHERE n.instance_id = (SELECT id FROM r)),
          tests.automation_step_id((SELECT id FROM r), 'tell'),
    'the notification''s outbox row names the step that wrote it');
SELECT is((SELECT current_step::text FROM automation.workflow_instances WHERE id = (SELECT id FROM r)), 'wait',
    'a run that waits is at its open step');
SELECT is((SELECT count(*)::int FROM automation.workflow_tokens WHERE instance_id = (SELECT id FROM r)), 1,
    'the waiting run has its token');
DELETE FROM automation.workflow_notifications WHERE instance_id = (SELECT id FROM r);
DELETE FROM automation.workflow_instances WHERE id = (SELECT id FROM r);
SELECT is((SELECT count(*)::int FROM automation.workflow_tokens WHERE instance_id = (SELECT id FROM r)), 0,
    'deleting the run deletes its tokens (trigger_workflow_instances_tokens)');

-- a step written outside the engine's batch still moves progress (the trigger's WHEN clause)
CREATE TEMP TABLE r2 AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;
UPDATE automation.workflow_instances SET progress = 0 WHERE id = (SELECT id FROM r2);
INSERT INTO automation.workflow_executions (instance_id, node_id, step_type, status, started_at)
VALUES ((SELECT id FROM r2), 'other', 'end', 'completed', clock_timestamp());
SELECT cmp_ok((SELECT progress FROM automation.workflow_instances WHERE id = (SELECT id FROM r2)), '>', 0,
    'a step written outside the engine refreshes the run''s progress');

SELECT * FROM finish();
ROLLBACK;
