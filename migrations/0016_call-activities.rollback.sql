-- Undo pgwf 0016. Refused (nothing changed) while a version has a call node or a run a call
-- step or a parent: the engine of 0015 cannot run them.
SET LOCAL ROLE pgwf_owner;

DO $rollback$
DECLARE
    v_rows bigint;
BEGIN
    SELECT (SELECT count(*) FROM automation.workflow_nodes WHERE node_type = 'call')
         + (SELECT count(*) FROM automation.workflow_executions WHERE step_type = 'call')
         + (SELECT count(*) FROM automation.workflow_instances WHERE parent_instance_id IS NOT NULL)
    INTO v_rows;
    IF v_rows > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('rollback of 0016: %s call nodes, call steps or child runs exist', v_rows),
            HINT = 'Delete the workflow versions with call activities and their runs first.';
    END IF;
END;
$rollback$;

DROP INDEX automation.idx_workflow_instances_parent;
ALTER TABLE automation.workflow_instances DROP CONSTRAINT fk_workflow_instances_parent;
ALTER TABLE automation.workflow_instances DROP COLUMN parent_execution_id;
ALTER TABLE automation.workflow_instances DROP COLUMN parent_instance_id;
ALTER TABLE automation.workflow_executions DROP CONSTRAINT chk_workflow_executions_step_type;
ALTER TABLE automation.workflow_executions ADD CONSTRAINT chk_workflow_executions_step_type CHECK (step_type IN
        ('trigger', 'action', 'condition', 'approval', 'integration', 'notification',
         'task', 'gateway', 'end', 'subprocess', 'event', 'manual', 'receive'));
ALTER TABLE automation.workflow_nodes DROP CONSTRAINT chk_workflow_nodes_type;
ALTER TABLE automation.workflow_nodes ADD CONSTRAINT chk_workflow_nodes_type CHECK (node_type IN
        ('trigger', 'action', 'condition', 'approval', 'integration', 'notification',
         'task', 'gateway', 'end', 'subprocess', 'event', 'manual', 'receive'));
COMMENT ON COLUMN automation.workflow_nodes.node_type IS 'trigger, action, condition, approval, integration, notification (the spec''s six), task, gateway, end, subprocess, event, manual, receive (added for BPMN); docs/graph-model.md says what a visit of each does.';

RESET ROLE;
