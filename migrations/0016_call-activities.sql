-- pgwf 0016: call activities (docs/graph-model.md, "Call activities").
-- depends: 0015_event-subprocesses
--
-- * A node and step type call: the visit starts a child run of another deployed process and its
--   token waits for that run to end.
-- * workflow_instances.parent_instance_id / parent_execution_id: the run and the call step that
--   started a child run; NULL for runs started any other way.

SET LOCAL ROLE pgwf_owner;

ALTER TABLE automation.workflow_nodes DROP CONSTRAINT chk_workflow_nodes_type;
ALTER TABLE automation.workflow_nodes ADD CONSTRAINT chk_workflow_nodes_type CHECK (node_type IN
        ('trigger', 'action', 'condition', 'approval', 'integration', 'notification',
         'task', 'gateway', 'end', 'subprocess', 'event', 'manual', 'receive', 'call'));
COMMENT ON COLUMN automation.workflow_nodes.node_type IS 'trigger, action, condition, approval, integration, notification (the spec''s six), task, gateway, end, subprocess, event, manual, receive, call (added for BPMN); docs/graph-model.md says what a visit of each does.';

ALTER TABLE automation.workflow_executions DROP CONSTRAINT chk_workflow_executions_step_type;
ALTER TABLE automation.workflow_executions ADD CONSTRAINT chk_workflow_executions_step_type CHECK (step_type IN
        ('trigger', 'action', 'condition', 'approval', 'integration', 'notification',
         'task', 'gateway', 'end', 'subprocess', 'event', 'manual', 'receive', 'call'));

ALTER TABLE automation.workflow_instances ADD COLUMN parent_instance_id UUID;
ALTER TABLE automation.workflow_instances ADD COLUMN parent_execution_id UUID;
ALTER TABLE automation.workflow_instances ADD CONSTRAINT fk_workflow_instances_parent FOREIGN KEY (parent_instance_id)
    REFERENCES automation.workflow_instances (id) ON DELETE CASCADE;
CREATE INDEX idx_workflow_instances_parent ON automation.workflow_instances (parent_instance_id) WHERE parent_instance_id IS NOT NULL;
COMMENT ON COLUMN automation.workflow_instances.parent_instance_id IS 'pgwf addition: the run whose call activity started this run (a child run); NULL otherwise.';
COMMENT ON COLUMN automation.workflow_instances.parent_execution_id IS 'pgwf addition: the call step (workflow_executions row of the parent run) that waits for this run.';

RESET ROLE;
