-- Undo pgwf 0003: drop the automation tables (dependents first).
SET LOCAL ROLE pgwf_owner;
DROP TABLE IF EXISTS automation.workflow_trigger_deliveries;
DROP TABLE IF EXISTS automation.workflow_notifications;
DROP TABLE IF EXISTS automation.workflow_approvals;
DROP TABLE IF EXISTS automation.workflow_executions;
DROP TABLE IF EXISTS automation.workflow_instances;
DROP TABLE IF EXISTS automation.workflow_triggers;
DROP TABLE IF EXISTS automation.workflow_edges;
DROP TABLE IF EXISTS automation.workflow_nodes;
DROP TABLE IF EXISTS automation.workflows;
RESET ROLE;
