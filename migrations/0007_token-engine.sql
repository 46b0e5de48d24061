-- pgwf 0007: the engine runs on tokens (docs/graph-model.md, "How a run moves").
-- depends: 0006_task-service-fixes
--
-- * automation.workflow_tokens: one row a live token (scope, node, the flow it came by, its
--   state, the step it waits in). Replaces engine_state.waiting, where tokens were a JSON map of
--   node to arrival edges and a node was visited once no other branch could reach it.
-- * automation.workflow_event_subscriptions: timers, messages and signals a token waits for.
-- * workflow_nodes.parent_node_id: the sub-process a node lies in (React Flow parentId).
-- * New node and step types: subprocess, event, manual, receive; a step may be cancelled.
-- * Drawn models addressed the run's start input as input.* and step outputs as steps.*, so a
--   process variable named input or steps could not be read. Those paths are now $input.* and
--   $steps.*; every other path is a variable. Drawn (non-BPMN) versions are rewritten here,
--   in their JSON and in their node and edge rows; BPMN versions always meant the variables.
-- * Running runs: each token waiting in engine_state.waiting and each open step becomes a row.

SET LOCAL ROLE pgwf_owner;

CREATE TABLE automation.workflow_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    instance_id UUID NOT NULL,
    scope_token_id BIGINT,
    node_id VARCHAR(100) NOT NULL,
    edge_id VARCHAR(100),
    state VARCHAR(20) NOT NULL,
    execution_id UUID,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT workflow_tokens_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_tokens_instance FOREIGN KEY (instance_id)
        REFERENCES automation.workflow_instances (id) ON DELETE CASCADE,
    CONSTRAINT fk_workflow_tokens_scope FOREIGN KEY (scope_token_id)
        REFERENCES automation.workflow_tokens (id) ON DELETE CASCADE,
    CONSTRAINT chk_workflow_tokens_state CHECK (state IN ('arrived', 'joining', 'waiting', 'scope'))
);
CREATE INDEX idx_workflow_tokens_instance ON automation.workflow_tokens (instance_id, state, id);
CREATE INDEX idx_workflow_tokens_scope ON automation.workflow_tokens (scope_token_id) WHERE scope_token_id IS NOT NULL;
CREATE INDEX idx_workflow_tokens_execution ON automation.workflow_tokens (execution_id) WHERE execution_id IS NOT NULL;
COMMENT ON TABLE automation.workflow_tokens IS 'pgwf addition: the live tokens of running runs, one row a token (the BPMN token game). A run whose root scope has no token left is complete. Written only by the engine.';
COMMENT ON COLUMN automation.workflow_tokens.scope_token_id IS 'The token of the sub-process this token runs inside (state scope); NULL in the run''s top-level scope.';
COMMENT ON COLUMN automation.workflow_tokens.node_id IS 'The node the token is at, or waits in.';
COMMENT ON COLUMN automation.workflow_tokens.edge_id IS 'The sequence flow the token arrived by; NULL for a token placed at a start node.';
COMMENT ON COLUMN automation.workflow_tokens.state IS 'arrived (to be visited), joining (waits at a parallel or inclusive join for tokens on its other incoming flows), waiting (in an open step: a worker step, a queue task, an event), scope (a sub-process whose tokens run inside it).';
COMMENT ON COLUMN automation.workflow_tokens.execution_id IS 'The workflow_executions row of the step the token waits in (waiting, scope).';

CREATE TABLE automation.workflow_event_subscriptions (
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    instance_id UUID NOT NULL,
    token_id BIGINT NOT NULL,
    node_id VARCHAR(100) NOT NULL,
    event_type VARCHAR(20) NOT NULL,
    event_name VARCHAR(255),
    correlation JSONB,
    due_at TIMESTAMPTZ,
    timer JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT workflow_event_subscriptions_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_event_subscriptions_instance FOREIGN KEY (instance_id)
        REFERENCES automation.workflow_instances (id) ON DELETE CASCADE,
    CONSTRAINT fk_workflow_event_subscriptions_token FOREIGN KEY (token_id)
        REFERENCES automation.workflow_tokens (id) ON DELETE CASCADE,
    CONSTRAINT chk_workflow_event_subscriptions_type CHECK (event_type IN ('timer', 'message', 'signal')),
    CONSTRAINT chk_workflow_event_subscriptions_timer CHECK ((event_type = 'timer') = (due_at IS NOT NULL)),
    CONSTRAINT chk_workflow_event_subscriptions_name CHECK (event_type = 'timer' OR event_name IS NOT NULL)
);
CREATE INDEX idx_workflow_event_subscriptions_due ON automation.workflow_event_subscriptions (due_at)
    WHERE event_type = 'timer';
CREATE INDEX idx_workflow_event_subscriptions_name ON automation.workflow_event_subscriptions (event_type, event_name)
    WHERE event_type <> 'timer';
CREATE INDEX idx_workflow_event_subscriptions_token ON automation.workflow_event_subscriptions (token_id);
CREATE INDEX idx_workflow_event_subscriptions_instance ON automation.workflow_event_subscriptions (instance_id);
COMMENT ON TABLE automation.workflow_event_subscriptions IS 'pgwf addition: the timers, messages and signals live tokens wait for (intermediate catch events, receive tasks, boundary events, event sub-process starts). A subscription goes with its token: a cancelled scope''s timers never fire.';
COMMENT ON COLUMN automation.workflow_event_subscriptions.token_id IS 'The token the event moves: the waiting token of a catch event or receive task, the activity''s token for a boundary event, the scope''s token (or the start token) for an event sub-process.';
COMMENT ON COLUMN automation.workflow_event_subscriptions.node_id IS 'The catching node: the catch event, receive task, boundary event or event sub-process start event.';
COMMENT ON COLUMN automation.workflow_event_subscriptions.event_type IS 'timer, message or signal.';
COMMENT ON COLUMN automation.workflow_event_subscriptions.event_name IS 'The message or signal name (NULL for a timer).';
COMMENT ON COLUMN automation.workflow_event_subscriptions.correlation IS 'Message correlation: the variables (JSON object) a message must match, besides the business key.';
COMMENT ON COLUMN automation.workflow_event_subscriptions.due_at IS 'When a timer fires; every due timer is found through one index (idx_workflow_event_subscriptions_due).';
COMMENT ON COLUMN automation.workflow_event_subscriptions.timer IS 'The timer definition ({"date"|"duration"|"cycle"}) and, for a cycle, the repetitions left.';

ALTER TABLE automation.workflow_nodes ADD COLUMN parent_node_id VARCHAR(100);
CREATE INDEX idx_workflow_nodes_parent ON automation.workflow_nodes (workflow_id, parent_node_id);
COMMENT ON COLUMN automation.workflow_nodes.parent_node_id IS 'pgwf addition: the subprocess node this node lies inside (React Flow''s parentId); NULL at the top level.';
ALTER TABLE automation.workflow_nodes DROP CONSTRAINT chk_workflow_nodes_type;
ALTER TABLE automation.workflow_nodes ADD CONSTRAINT chk_workflow_nodes_type CHECK (node_type IN
        ('trigger', 'action', 'condition', 'approval', 'integration', 'notification',
         'task', 'gateway', 'end', 'subprocess', 'event', 'manual', 'receive'));
COMMENT ON COLUMN automation.workflow_nodes.node_type IS 'trigger, action, condition, approval, integration, notification (the spec''s six), task, gateway, end, subprocess, event, manual, receive (added for BPMN); docs/graph-model.md says what a visit of each does.';

ALTER TABLE automation.workflow_executions DROP CONSTRAINT chk_workflow_executions_step_type;
ALTER TABLE automation.workflow_executions ADD CONSTRAINT chk_workflow_executions_step_type CHECK (step_type IN
        ('trigger', 'action', 'condition', 'approval', 'integration', 'notification',
         'task', 'gateway', 'end', 'subprocess', 'event', 'manual', 'receive'));
ALTER TABLE automation.workflow_executions DROP CONSTRAINT chk_workflow_execution_status;
ALTER TABLE automation.workflow_executions ADD CONSTRAINT chk_workflow_execution_status
        CHECK (status IN ('pending', 'running', 'completed', 'failed', 'skipped', 'waiting_approval', 'cancelled'));
COMMENT ON COLUMN automation.workflow_executions.status IS 'pending (waiting for a worker), running (leased, or a human task open), completed, failed, skipped (on a branch the run does not take), waiting_approval, cancelled (pgwf addition: an interrupting event ended the step, or its scope ended).';

-- the engine's own paths in drawn models: input.* -> $input.*, steps.* -> $steps.*
CREATE FUNCTION pg_temp.engine_paths(p jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$
    SELECT regexp_replace(
               regexp_replace(p::text, '"field": "(input|steps)([."])', '"field": "$\1\2', 'g'),
               '\{\{(\s*)(input|steps)([.}\s])', '{{\1$\2\3', 'g')::jsonb;
$f$;
ALTER TABLE automation.workflows DISABLE TRIGGER USER;
ALTER TABLE automation.workflow_nodes DISABLE TRIGGER USER;
ALTER TABLE automation.workflow_edges DISABLE TRIGGER USER;
UPDATE automation.workflows SET workflow_data = pg_temp.engine_paths(workflow_data)
WHERE category IS DISTINCT FROM 'bpmn' AND workflow_data IS NOT NULL
  AND workflow_data IS DISTINCT FROM pg_temp.engine_paths(workflow_data);
UPDATE automation.workflow_nodes n SET configuration = pg_temp.engine_paths(n.configuration)
FROM automation.workflows w
WHERE w.id = n.workflow_id AND w.category IS DISTINCT FROM 'bpmn' AND n.configuration IS NOT NULL
  AND n.configuration IS DISTINCT FROM pg_temp.engine_paths(n.configuration);
UPDATE automation.workflow_edges e SET conditions = pg_temp.engine_paths(e.conditions)
FROM automation.workflows w
WHERE w.id = e.workflow_id AND w.category IS DISTINCT FROM 'bpmn' AND e.conditions IS NOT NULL
  AND e.conditions IS DISTINCT FROM pg_temp.engine_paths(e.conditions);
ALTER TABLE automation.workflows ENABLE TRIGGER USER;
ALTER TABLE automation.workflow_nodes ENABLE TRIGGER USER;
ALTER TABLE automation.workflow_edges ENABLE TRIGGER USER;

-- running runs: their waiting tokens and open steps become rows
INSERT INTO automation.workflow_tokens (instance_id, node_id, edge_id, state)
SELECT wi.id, w.key, edge.value #>> '{}', 'arrived'
FROM automation.workflow_instances wi
CROSS JOIN LATERAL jsonb_each(COALESCE(wi.engine_state -> 'waiting', '{}'::jsonb)) AS w
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_array_length(w.value -> 'edges') > 0
                                             THEN w.value -> 'edges' ELSE '[null]'::jsonb END) AS edge
WHERE wi.status IN ('pending', 'running', 'paused')
ORDER BY wi.id, (w.value ->> 'seq')::bigint;
INSERT INTO automation.workflow_tokens (instance_id, node_id, edge_id, state, execution_id)
SELECT we.instance_id, we.node_id, we.incoming_edge_id, 'waiting', we.id
FROM automation.workflow_executions we
JOIN automation.workflow_instances wi ON wi.id = we.instance_id
WHERE wi.status IN ('pending', 'running', 'paused') AND we.status IN ('pending', 'running', 'waiting_approval')
ORDER BY we.created_at;
UPDATE automation.workflow_instances SET engine_state = engine_state - 'waiting' - 'seq'
WHERE engine_state ? 'waiting' OR engine_state ? 'seq';
COMMENT ON COLUMN automation.workflow_instances.engine_state IS 'pgwf addition: the executor''s own state (visit count, step limit, pause/cancel log); the tokens are rows of automation.workflow_tokens. Written only by the engine.';

RESET ROLE;
