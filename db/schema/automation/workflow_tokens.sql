-- automation.workflow_tokens: the live tokens of running runs (the BPMN token game, as
-- Flowable's runtime executions). Written only by the engine (engine_* functions) while it holds
-- the run's workflow_instances row; a token is deleted when it is consumed or its run stops.
CREATE TABLE automation.workflow_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    instance_id UUID NOT NULL,
    scope_token_id BIGINT,
    node_id VARCHAR(100) NOT NULL,
    edge_id VARCHAR(100),
    state VARCHAR(20) NOT NULL,
    execution_id UUID,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    locals JSONB,
    CONSTRAINT workflow_tokens_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_tokens_scope FOREIGN KEY (scope_token_id)
        REFERENCES automation.workflow_tokens (id) ON DELETE CASCADE,
    CONSTRAINT chk_workflow_tokens_state CHECK (state IN ('arrived', 'joining', 'waiting', 'scope')),
    CONSTRAINT chk_workflow_tokens_locals CHECK (locals IS NULL OR jsonb_typeof(locals) = 'object')
);

CREATE INDEX idx_workflow_tokens_instance ON automation.workflow_tokens (instance_id, state, id);
CREATE INDEX idx_workflow_tokens_scope ON automation.workflow_tokens (scope_token_id) WHERE scope_token_id IS NOT NULL;
CREATE INDEX idx_workflow_tokens_execution ON automation.workflow_tokens (execution_id) WHERE execution_id IS NOT NULL;

COMMENT ON TABLE automation.workflow_tokens IS 'pgwf addition: the live tokens of running runs, one row a token (the BPMN token game). A run whose root scope has no token left is complete. Written only by the engine.';
COMMENT ON COLUMN automation.workflow_tokens.instance_id IS 'The run the token belongs to. No foreign key (migration 0017): the engine writes a token only for the run whose row it holds locked, and trigger_workflow_instances_tokens deletes the tokens of a deleted run.';
COMMENT ON COLUMN automation.workflow_tokens.scope_token_id IS 'The token of the sub-process this token runs inside (state scope); NULL in the run''s top-level scope.';
COMMENT ON COLUMN automation.workflow_tokens.node_id IS 'The node the token is at, or waits in.';
COMMENT ON COLUMN automation.workflow_tokens.edge_id IS 'The sequence flow the token arrived by; NULL for a token placed at a start node.';
COMMENT ON COLUMN automation.workflow_tokens.state IS 'arrived (to be visited), joining (waits at a parallel or inclusive join for tokens on its other incoming flows), waiting (in an open step: a worker step, a queue task, an event), scope (a sub-process whose tokens run inside it).';
COMMENT ON COLUMN automation.workflow_tokens.locals IS 'Variables of this token and the tokens inside it, read over the run''s variables: a multi-instance body''s counters and plan ($mi), an instance''s loopCounter and element variable. NULL for most tokens.';
COMMENT ON COLUMN automation.workflow_tokens.execution_id IS 'The workflow_executions row of the step the token waits in (waiting, scope).';
