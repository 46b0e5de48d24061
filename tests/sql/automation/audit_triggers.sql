-- Every automation table with updated_at gets audit_trigger_<table>, which moves updated_at
-- on UPDATE.
BEGIN;
SELECT plan(16);

CREATE TEMP TABLE ids AS SELECT tests.automation_workflow() AS wf;
-- a second version for the graph rows: a version with runs cannot change its graph
ALTER TABLE ids ADD COLUMN run uuid, ADD COLUMN step uuid, ADD COLUMN draft uuid;
UPDATE ids SET run = tests.automation_instance(wf), draft = tests.automation_workflow('draft');
UPDATE ids SET step = tests.automation_execution(run, 'a');
SELECT tests.automation_node(draft, 'a'), tests.automation_node(draft, 'b'), tests.automation_approval(step) FROM ids;
SELECT tests.automation_edge(draft, 'a', 'b') FROM ids;
INSERT INTO automation.workflow_triggers (workflow_id, trigger_type) SELECT wf, 'manual' FROM ids;
INSERT INTO automation.workflow_notifications (notification_type, channel) VALUES ('error_alert', 'email');
SELECT has_trigger('automation', t, 'audit_trigger_' || t, t || ' has audit_trigger_' || t)
FROM unnest(ARRAY['workflows', 'workflow_nodes', 'workflow_edges', 'workflow_triggers', 'workflow_instances',
                  'workflow_executions', 'workflow_approvals', 'workflow_notifications']) AS t;

UPDATE automation.workflows SET description = 'x';
UPDATE automation.workflow_nodes SET label = 'x';
UPDATE automation.workflow_edges SET edge_type = 'x';
UPDATE automation.workflow_triggers SET trigger_source = 'x';
UPDATE automation.workflow_instances SET current_step = 'x';
UPDATE automation.workflow_executions SET output_data = '{}';
UPDATE automation.workflow_approvals SET approval_message = 'x';
UPDATE automation.workflow_notifications SET subject = 'x';
-- rows were inserted with updated_at = now() (the transaction's start); the change is later
SELECT cmp_ok(u, '>', now(), t || ': an UPDATE sets updated_at to the time of the change')
FROM (SELECT 'workflows' AS t, max(updated_at) AS u FROM automation.workflows
      UNION ALL SELECT 'workflow_nodes', max(updated_at) FROM automation.workflow_nodes
      UNION ALL SELECT 'workflow_edges', max(updated_at) FROM automation.workflow_edges
      UNION ALL SELECT 'workflow_triggers', max(updated_at) FROM automation.workflow_triggers
      UNION ALL SELECT 'workflow_instances', max(updated_at) FROM automation.workflow_instances
      UNION ALL SELECT 'workflow_executions', max(updated_at) FROM automation.workflow_executions
      UNION ALL SELECT 'workflow_approvals', max(updated_at) FROM automation.workflow_approvals
      UNION ALL SELECT 'workflow_notifications', max(updated_at) FROM automation.workflow_notifications) x
ORDER BY t;

SELECT * FROM finish();
ROLLBACK;
