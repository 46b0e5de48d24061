-- automation.workflow_nodes: the nodes of a workflow version, one row per React Flow node.
-- Kept in step with workflows.workflow_data by automation.save_workflow; read by the engine.
CREATE TABLE automation.workflow_nodes (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    workflow_id UUID NOT NULL,
    node_id VARCHAR(100) NOT NULL,
    node_type VARCHAR(50) NOT NULL,
    label VARCHAR(255) NOT NULL,
    position_x INTEGER NOT NULL,
    position_y INTEGER NOT NULL,
    configuration JSONB,
    is_enabled BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    parent_node_id VARCHAR(100),
    CONSTRAINT workflow_nodes_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_nodes_workflow FOREIGN KEY (workflow_id)
        REFERENCES automation.workflows (id) ON DELETE CASCADE,
    CONSTRAINT chk_workflow_nodes_type CHECK (node_type IN
        ('trigger', 'action', 'condition', 'approval', 'integration', 'notification',
         'task', 'gateway', 'end', 'subprocess', 'event', 'manual', 'receive', 'call'))
);

CREATE INDEX idx_workflow_nodes_workflow_id ON automation.workflow_nodes (workflow_id);
CREATE INDEX idx_workflow_nodes_type ON automation.workflow_nodes (node_type);
CREATE INDEX idx_workflow_nodes_enabled ON automation.workflow_nodes (is_enabled);
CREATE UNIQUE INDEX idx_workflow_nodes_unique ON automation.workflow_nodes (workflow_id, node_id);
CREATE INDEX idx_workflow_nodes_parent ON automation.workflow_nodes (workflow_id, parent_node_id);

COMMENT ON TABLE automation.workflow_nodes IS 'The nodes of one workflow version, one row per React Flow node of workflows.workflow_data (kept in step by automation.save_workflow).';
COMMENT ON COLUMN automation.workflow_nodes.node_id IS 'The React Flow node id; unique within the workflow version.';
COMMENT ON COLUMN automation.workflow_nodes.node_type IS 'trigger, action, condition, approval, integration, notification (the spec''s six), task, gateway, end, subprocess, event, manual, receive, call (added for BPMN); docs/graph-model.md says what a visit of each does.';
COMMENT ON COLUMN automation.workflow_nodes.configuration IS 'The node''s React Flow data without label and enabled: node-specific settings.';
COMMENT ON COLUMN automation.workflow_nodes.is_enabled IS 'false: the engine passes through the node without doing its work.';
COMMENT ON COLUMN automation.workflow_nodes.parent_node_id IS 'pgwf addition: the subprocess node this node lies inside (React Flow''s parentId); NULL at the top level.';
