-- Every CHECK of the automation tables refuses a value outside its list, naming the constraint:
-- the spec's named ones, and the vocabularies pgwf constrains because the engine dispatches on
-- them (node and step types, trigger types, notification channels and statuses).
BEGIN;
SELECT plan(23);

CREATE TEMP TABLE ids AS
SELECT tests.automation_workflow() AS run_wf, tests.automation_workflow('draft') AS wf;
ALTER TABLE ids ADD COLUMN run uuid, ADD COLUMN step uuid;
UPDATE ids SET run = tests.automation_instance(run_wf);
UPDATE ids SET step = tests.automation_execution(run, 'n1');

SELECT throws_ok($$UPDATE automation.workflow_instances SET status = 'done' WHERE id = (SELECT run FROM ids)$$,
    '23514', 'new row for relation "workflow_instances" violates check constraint "chk_workflow_instance_status"',
    'a run status outside pending/running/completed/failed/paused/cancelled is refused');
SELECT lives_ok($$UPDATE automation.workflow_instances SET status = 'paused' WHERE id = (SELECT run FROM ids)$$,
    'a run status from the list is accepted');
SELECT throws_ok($$UPDATE automation.workflow_instances SET progress = 101 WHERE id = (SELECT run FROM ids)$$,
    '23514', 'new row for relation "workflow_instances" violates check constraint "chk_workflow_instance_progress"',
    'progress above 100 is refused');
SELECT throws_ok($$UPDATE automation.workflow_instances SET progress = -1 WHERE id = (SELECT run FROM ids)$$,
    '23514', 'new row for relation "workflow_instances" violates check constraint "chk_workflow_instance_progress"',
    'negative progress is refused');
SELECT throws_ok($$UPDATE automation.workflow_instances SET priority = 'urgent' WHERE id = (SELECT run FROM ids)$$,
    '23514', 'new row for relation "workflow_instances" violates check constraint "chk_workflow_instance_priority"',
    'a priority outside low/normal/high/critical is refused');
SELECT throws_ok($$UPDATE automation.workflow_executions SET status = 'done' WHERE id = (SELECT step FROM ids)$$,
    '23514', 'new row for relation "workflow_executions" violates check constraint "chk_workflow_execution_status"',
    'a step status outside the spec''s list is refused');
SELECT lives_ok($$UPDATE automation.workflow_executions SET status = 'skipped' WHERE id = (SELECT step FROM ids)$$,
    'a step status from the list is accepted');
SELECT throws_ok($$UPDATE automation.workflow_executions SET step_type = 'script' WHERE id = (SELECT step FROM ids)$$,
    '23514', 'new row for relation "workflow_executions" violates check constraint "chk_workflow_executions_step_type"',
    'a step type the engine cannot run is refused');
SELECT throws_ok($$SELECT tests.automation_approval((SELECT step FROM ids), 'manager', NULL, 'maybe')$$,
    '23514', 'new row for relation "workflow_approvals" violates check constraint "chk_workflow_approval_status"',
    'an approval status outside pending/approved/rejected/expired is refused');
SELECT lives_ok($$SELECT tests.automation_approval((SELECT step FROM ids), 'manager', NULL, 'expired')$$,
    'an approval status from the list is accepted');
SELECT throws_ok($$SELECT tests.automation_node((SELECT wf FROM ids), 'x', 'script')$$,
    '23514', 'new row for relation "workflow_nodes" violates check constraint "chk_workflow_nodes_type"',
    'a node type outside the engine''s nine is refused');
SELECT lives_ok($$SELECT tests.automation_node((SELECT wf FROM ids), 'g', 'gateway')$$,
    'a gateway node (BPMN) is accepted');
SELECT throws_ok($$INSERT INTO automation.workflow_triggers (workflow_id, trigger_type) SELECT wf, 'cron' FROM ids$$,
    '23514', 'new row for relation "workflow_triggers" violates check constraint "chk_workflow_triggers_type"',
    'a trigger type outside schedule/event/webhook/manual is refused');
SELECT lives_ok($$INSERT INTO automation.workflow_triggers (workflow_id, trigger_type) SELECT wf, 'webhook' FROM ids$$,
    'a webhook trigger is accepted');
SELECT throws_ok($$INSERT INTO automation.workflow_notifications (notification_type, channel) VALUES ('error_alert', 'fax')$$,
    '23514', 'new row for relation "workflow_notifications" violates check constraint "chk_workflow_notifications_channel"',
    'a channel the notifier cannot deliver to is refused');
SELECT throws_ok($$INSERT INTO automation.workflow_notifications (notification_type, channel, status) VALUES ('error_alert', 'email', 'queued')$$,
    '23514', 'new row for relation "workflow_notifications" violates check constraint "chk_workflow_notifications_status"',
    'a notification status outside pending/sent/failed is refused');
SELECT lives_ok($$INSERT INTO automation.workflow_notifications (notification_type, channel) VALUES ('error_alert', 'sms')$$,
    'an sms notification is accepted and starts pending');
SELECT throws_ok($$INSERT INTO automation.workflow_nodes (node_id, node_type, label, position_x, position_y) VALUES ('n', 'action', 'n', 0, 0)$$,
    '23502', NULL, 'a node without a workflow is refused');
SELECT throws_ok($$INSERT INTO automation.workflow_instances (workflow_id, status, priority) SELECT run_wf, 'running', NULL FROM ids$$,
    '23502', NULL, 'a run with a NULL priority is refused instead of slipping past the priority CHECK');
SELECT throws_ok($$INSERT INTO automation.workflow_nodes (workflow_id, node_id, node_type, label, position_x, position_y) SELECT wf, 'g', 'action', 'again', 0, 0 FROM ids$$,
    '23505', NULL, 'a node id appears once per workflow version (idx_workflow_nodes_unique)');

SELECT throws_ok($$SELECT tests.automation_edge((SELECT wf FROM ids), 'g', 'ghost')$$,
    '23503', 'insert or update on table "workflow_edges" violates foreign key constraint "fk_workflow_edges_target"',
    'an edge into a node that is not in its workflow version is refused');
SELECT throws_ok($$SELECT tests.automation_edge((SELECT wf FROM ids), 'ghost', 'g')$$,
    '23503', 'insert or update on table "workflow_edges" violates foreign key constraint "fk_workflow_edges_source"',
    'an edge out of a node that is not in its workflow version is refused');
SELECT tests.automation_node(wf, 'h') FROM ids;
SELECT tests.automation_edge(wf, 'g', 'h') FROM ids;
DELETE FROM automation.workflow_nodes WHERE workflow_id = (SELECT wf FROM ids) AND node_id = 'h';
SELECT is((SELECT count(*) FROM automation.workflow_edges WHERE workflow_id = (SELECT wf FROM ids)), 0::bigint,
    'deleting a node deletes its edges');

SELECT * FROM finish();
ROLLBACK;
