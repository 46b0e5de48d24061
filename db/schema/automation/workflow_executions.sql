-- automation.workflow_executions: one visit of one node by a run (a step).
-- Written by the engine; external steps are leased by workers through automation.claim_steps.
CREATE TABLE automation.workflow_executions (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    instance_id UUID NOT NULL,
    node_id VARCHAR(100) NOT NULL,
    step_type VARCHAR(50) NOT NULL,
    status VARCHAR(50) NOT NULL,
    started_at TIMESTAMPTZ,
    completed_at TIMESTAMPTZ,
    duration_ms INTEGER,
    input_data JSONB,
    output_data JSONB,
    error_message TEXT,
    retry_count INTEGER NOT NULL DEFAULT 0,
    max_retries INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    incoming_edge_id VARCHAR(100),
    worker_id VARCHAR(100),
    lease_expires_at TIMESTAMPTZ,
    next_attempt_at TIMESTAMPTZ,
    lease_expiries INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT workflow_executions_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_executions_instance FOREIGN KEY (instance_id)
        REFERENCES automation.workflow_instances (id) ON DELETE CASCADE,
    CONSTRAINT chk_workflow_execution_status
        CHECK (status IN ('pending', 'running', 'completed', 'failed', 'skipped', 'waiting_approval', 'cancelled')),
    CONSTRAINT chk_workflow_executions_step_type CHECK (step_type IN
        ('trigger', 'action', 'condition', 'approval', 'integration', 'notification',
         'task', 'gateway', 'end', 'subprocess', 'event', 'manual', 'receive', 'call'))
);

CREATE INDEX idx_workflow_executions_instance_id ON automation.workflow_executions (instance_id);
CREATE INDEX idx_workflow_executions_node_id ON automation.workflow_executions (node_id);
CREATE INDEX idx_workflow_executions_status ON automation.workflow_executions (status);
CREATE INDEX idx_workflow_executions_step_type ON automation.workflow_executions (step_type);
CREATE INDEX idx_workflow_executions_started_at ON automation.workflow_executions (started_at);
CREATE INDEX idx_workflow_executions_claimable ON automation.workflow_executions (next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX idx_workflow_executions_leased ON automation.workflow_executions (lease_expires_at)
    WHERE status = 'running' AND lease_expires_at IS NOT NULL;

COMMENT ON TABLE automation.workflow_executions IS 'One visit of one node by a run. A step with side effects (action, integration) waits in status pending until a worker leases it (running), then completes or fails; human steps wait for their queue task.';
COMMENT ON COLUMN automation.workflow_executions.node_id IS 'node_id of the visited node in the run''s workflow version.';
COMMENT ON COLUMN automation.workflow_executions.step_type IS 'node_type of the visited node.';
COMMENT ON COLUMN automation.workflow_executions.status IS 'pending (waiting for a worker), running (leased, or a human task open), completed, failed, skipped (on a branch the run does not take), waiting_approval, cancelled (pgwf addition: an interrupting event ended the step, or its scope ended).';
COMMENT ON COLUMN automation.workflow_executions.duration_ms IS 'Execution duration in milliseconds, from started_at to completed_at.';
COMMENT ON COLUMN automation.workflow_executions.input_data IS 'Input of the step (the node''s input with {{paths}} filled from the run''s data).';
COMMENT ON COLUMN automation.workflow_executions.output_data IS 'Output of the step; its "variables" key, if any, is merged into the run''s variables.';
COMMENT ON COLUMN automation.workflow_executions.retry_count IS 'How many failed attempts have been retried.';
COMMENT ON COLUMN automation.workflow_executions.max_retries IS 'How many retries a failing attempt gets before the step fails.';
COMMENT ON COLUMN automation.workflow_executions.incoming_edge_id IS 'pgwf addition: edge_id of the edge the run arrived by (NULL for the trigger node).';
COMMENT ON COLUMN automation.workflow_executions.worker_id IS 'pgwf addition: the worker holding (or that last held) the lease of an external step.';
COMMENT ON COLUMN automation.workflow_executions.lease_expires_at IS 'pgwf addition: when the current worker''s lease runs out; the step is then claimable again.';
COMMENT ON COLUMN automation.workflow_executions.next_attempt_at IS 'pgwf addition: an external step is claimable from this time on (its creation, or the end of a retry backoff); workers take the oldest first.';
COMMENT ON COLUMN automation.workflow_executions.lease_expiries IS 'pgwf addition: how many times a worker''s lease on this step ran out.';
