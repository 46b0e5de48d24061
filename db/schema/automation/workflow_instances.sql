-- automation.workflow_instances: the engine's record of one run of a deployed workflow version.
-- Shares its id with flowable.process_instances (the business record); written by the engine
-- functions, progress/current_step maintained by trigger_update_workflow_progress.
CREATE TABLE automation.workflow_instances (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    workflow_id UUID NOT NULL,
    status VARCHAR(50) NOT NULL,
    priority VARCHAR(20) NOT NULL DEFAULT 'normal',
    started_at TIMESTAMPTZ DEFAULT NOW(),
    completed_at TIMESTAMPTZ,
    paused_at TIMESTAMPTZ,
    progress INTEGER NOT NULL DEFAULT 0,
    current_step VARCHAR(100),
    execution_context JSONB,
    output_data JSONB,
    error_details TEXT,
    triggered_by VARCHAR(100),
    trigger_source VARCHAR(100),
    execution_metrics JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    engine_state JSONB NOT NULL DEFAULT '{}'::jsonb,
    parent_instance_id UUID,
    parent_execution_id UUID,
    client_info JSONB,
    CONSTRAINT workflow_instances_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_instances_workflow FOREIGN KEY (workflow_id)
        REFERENCES automation.workflows (id),
    CONSTRAINT chk_workflow_instance_status
        CHECK (status IN ('pending', 'running', 'completed', 'failed', 'paused', 'cancelled')),
    CONSTRAINT chk_workflow_instance_progress CHECK (progress >= 0 AND progress <= 100),
    CONSTRAINT chk_workflow_instance_priority CHECK (priority IN ('low', 'normal', 'high', 'critical')),
    CONSTRAINT fk_workflow_instances_parent FOREIGN KEY (parent_instance_id)
        REFERENCES automation.workflow_instances (id) ON DELETE CASCADE
);

CREATE INDEX idx_workflow_instances_workflow_id ON automation.workflow_instances (workflow_id);
CREATE INDEX idx_workflow_instances_status ON automation.workflow_instances (status);
CREATE INDEX idx_workflow_instances_started_at ON automation.workflow_instances (started_at);
CREATE INDEX idx_workflow_instances_triggered_by ON automation.workflow_instances (triggered_by);
CREATE INDEX idx_workflow_instances_priority ON automation.workflow_instances (priority);
CREATE INDEX idx_workflow_instances_finished ON automation.workflow_instances (workflow_id, completed_at)
    WHERE status IN ('completed', 'failed', 'cancelled') AND parent_instance_id IS NULL;
CREATE INDEX idx_workflow_instances_parent ON automation.workflow_instances (parent_instance_id) WHERE parent_instance_id IS NOT NULL;

COMMENT ON INDEX automation.idx_workflow_instances_finished IS 'History cleanup: finished root runs of each workflow version, oldest first (automation.expired_history reads only the versions with a time-to-live, each up to its cut-off).';
COMMENT ON TABLE automation.workflow_instances IS 'One run of a deployed workflow version (the engine''s record). flowable.process_instances has the row with the same id (as text) for the business side; automation.map_instance_status maps the two status vocabularies.';
COMMENT ON COLUMN automation.workflow_instances.workflow_id IS 'The workflow version the run started with and stays on.';
COMMENT ON COLUMN automation.workflow_instances.status IS 'pending (queued), running, completed, failed, paused, cancelled.';
COMMENT ON COLUMN automation.workflow_instances.completed_at IS 'When the run reached a terminal status (completed, failed or cancelled); NULL before.';
COMMENT ON COLUMN automation.workflow_instances.paused_at IS 'When the run was paused; NULL while it is not paused.';
COMMENT ON COLUMN automation.workflow_instances.progress IS 'Percentage 0-100 of the steps the run will take that are done; 100 exactly when the run completes.';
COMMENT ON COLUMN automation.workflow_instances.current_step IS 'node_id of the step the run is at (the latest open step, else the latest finished one).';
COMMENT ON COLUMN automation.workflow_instances.execution_context IS 'Input data and runtime context: {"input": ..., "variables": ...}.';
COMMENT ON COLUMN automation.workflow_instances.output_data IS 'Final output of the run: the variables when it completed.';
COMMENT ON COLUMN automation.workflow_instances.triggered_by IS 'User id that started the run, or the system trigger (schedule:<id>, event:<id>, webhook:<id>).';
COMMENT ON COLUMN automation.workflow_instances.trigger_source IS 'manual, schedule, event or webhook.';
COMMENT ON COLUMN automation.workflow_instances.execution_metrics IS 'Performance and timing metrics: step count, total and per-type duration (ms).';
COMMENT ON COLUMN automation.workflow_instances.engine_state IS 'pgwf addition: the executor''s own state (visit count, step limit, pause/cancel log); the tokens are rows of automation.workflow_tokens. Written only by the engine.';
COMMENT ON COLUMN automation.workflow_instances.parent_instance_id IS 'pgwf addition: the run whose call activity started this run (a child run); NULL otherwise.';
COMMENT ON COLUMN automation.workflow_instances.parent_execution_id IS 'pgwf addition: the call step (workflow_executions row of the parent run) that waits for this run.';
COMMENT ON COLUMN automation.workflow_instances.client_info IS 'pgwf addition: who started the run and how (entitlements.client_info(): user, database login, auth token/act_as/asserted/none, token_id, application).';
