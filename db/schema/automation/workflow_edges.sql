-- automation.workflow_edges: the edges of a workflow version, one row per React Flow edge.
-- Kept in step with workflows.workflow_data by automation.save_workflow; read by the engine's router.
CREATE TABLE automation.workflow_edges (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    workflow_id UUID NOT NULL,
    edge_id VARCHAR(100) NOT NULL,
    source_node_id VARCHAR(100) NOT NULL,
    target_node_id VARCHAR(100) NOT NULL,
    source_handle VARCHAR(50),
    target_handle VARCHAR(50),
    edge_type VARCHAR(50) DEFAULT 'smoothstep',
    conditions JSONB,
    is_enabled BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    edge_order INTEGER,
    CONSTRAINT workflow_edges_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_edges_workflow FOREIGN KEY (workflow_id)
        REFERENCES automation.workflows (id) ON DELETE CASCADE,
    CONSTRAINT fk_workflow_edges_source FOREIGN KEY (workflow_id, source_node_id)
        REFERENCES automation.workflow_nodes (workflow_id, node_id) ON DELETE CASCADE,
    CONSTRAINT fk_workflow_edges_target FOREIGN KEY (workflow_id, target_node_id)
        REFERENCES automation.workflow_nodes (workflow_id, node_id) ON DELETE CASCADE
);

CREATE INDEX idx_workflow_edges_workflow_id ON automation.workflow_edges (workflow_id);
CREATE INDEX idx_workflow_edges_source ON automation.workflow_edges (source_node_id);
CREATE INDEX idx_workflow_edges_target ON automation.workflow_edges (target_node_id);
CREATE UNIQUE INDEX idx_workflow_edges_unique ON automation.workflow_edges (workflow_id, edge_id);
CREATE INDEX idx_workflow_edges_outgoing ON automation.workflow_edges (workflow_id, source_node_id, edge_order);
CREATE INDEX idx_workflow_edges_incoming ON automation.workflow_edges (workflow_id, target_node_id);

COMMENT ON TABLE automation.workflow_edges IS 'The edges of one workflow version, one row per React Flow edge of workflows.workflow_data (kept in step by automation.save_workflow).';
COMMENT ON COLUMN automation.workflow_edges.edge_id IS 'The React Flow edge id; unique within the workflow version.';
COMMENT ON COLUMN automation.workflow_edges.source_node_id IS 'node_id (not id) of the node the edge leaves, in the same workflow version (fk_workflow_edges_source).';
COMMENT ON COLUMN automation.workflow_edges.target_node_id IS 'node_id (not id) of the node the edge enters, in the same workflow version (fk_workflow_edges_target).';
COMMENT ON COLUMN automation.workflow_edges.source_handle IS 'Connection point on the source node; the outcome the edge follows: true/false on a condition, approved/rejected/expired on an approval.';
COMMENT ON COLUMN automation.workflow_edges.target_handle IS 'Connection point on the target node.';
COMMENT ON COLUMN automation.workflow_edges.edge_type IS 'React Flow edge type (drawing only).';
COMMENT ON COLUMN automation.workflow_edges.conditions IS 'Routing rule: {"conditions": [c, ...]} (all must hold) or {"default": true}; NULL is unconditional (docs/graph-model.md).';
COMMENT ON COLUMN automation.workflow_edges.edge_order IS 'pgwf addition: the edge''s place in workflow_data.edges (from 1): the order an exclusive gateway tries its outgoing flows in.';
