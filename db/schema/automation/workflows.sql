-- automation.workflows: one version of an automation workflow model (React Flow JSON).
-- Written by automation.save_workflow (the engine keeps workflow_nodes/workflow_edges in step
-- with workflow_data); read by the editor, the engine and the reporting views.
CREATE TABLE automation.workflows (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    name VARCHAR(255) NOT NULL,
    description TEXT,
    category VARCHAR(100) DEFAULT 'custom',
    version VARCHAR(20) NOT NULL DEFAULT '1.0.0',
    workflow_data JSONB NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT true,
    is_template BOOLEAN NOT NULL DEFAULT false,
    tags JSONB,
    configuration JSONB,
    created_by VARCHAR(100),
    updated_by VARCHAR(100),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    workflow_key VARCHAR(100) NOT NULL DEFAULT (gen_random_uuid())::text,
    history_ttl_days INTEGER,
    CONSTRAINT workflows_pkey PRIMARY KEY (id),
    CONSTRAINT uq_workflows_key_version UNIQUE (workflow_key, version),
    CONSTRAINT chk_workflows_history_ttl_days CHECK (history_ttl_days BETWEEN 0 AND 36500)
);

CREATE INDEX idx_workflows_category ON automation.workflows (category);
CREATE INDEX idx_workflows_active ON automation.workflows (is_active);
CREATE INDEX idx_workflows_template ON automation.workflows (is_template);
CREATE INDEX idx_workflows_created_by ON automation.workflows (created_by);
CREATE INDEX idx_workflows_name ON automation.workflows (name);

COMMENT ON TABLE automation.workflows IS 'One version of an automation workflow model. workflow_data is React Flow''s JSON; workflow_nodes and workflow_edges hold the same graph as rows. A version that is deployed or has runs is immutable: editing it makes a new version with the same workflow_key.';
COMMENT ON COLUMN automation.workflows.category IS 'Workflow categorization: vulnerability, compliance, incident, automation, custom (not constrained: sites add their own).';
COMMENT ON COLUMN automation.workflows.version IS 'Version label of this model version (1.0.0, 1.1.0, ...); unique within workflow_key.';
COMMENT ON COLUMN automation.workflows.workflow_data IS 'Complete React Flow graph: {nodes, edges, viewport} (docs/graph-model.md).';
COMMENT ON COLUMN automation.workflows.is_template IS 'true: a template to copy from, never deployed or run itself.';
COMMENT ON COLUMN automation.workflows.tags IS 'JSON array of string tags.';
COMMENT ON COLUMN automation.workflows.configuration IS 'Workflow-level settings: timeouts, retry policies, notifications, maxSteps (the loop guard of a run).';
COMMENT ON COLUMN automation.workflows.workflow_key IS 'pgwf addition: the stable key shared by every version of one model; deployed as flowable.workflow_definitions.process_key.';
COMMENT ON COLUMN automation.workflows.history_ttl_days IS 'pgwf addition: days a finished run of this version is kept before automation.purge_history removes it with its steps, tasks and history; NULL: the version''s definition, else the setting pgwf.history_ttl_days (unset: kept for ever).';
