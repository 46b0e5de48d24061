-- automation.workflow_event_subscriptions: what a run waits for besides steps: timers (due_at),
-- messages and signals (event_name), for catch events, receive tasks, boundary events and the
-- start events of event sub-processes. Written by the engine; timers fire from run_maintenance.
CREATE TABLE automation.workflow_event_subscriptions (
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    instance_id UUID NOT NULL,
    token_id BIGINT,
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
COMMENT ON COLUMN automation.workflow_event_subscriptions.token_id IS 'The token that waits (a catch event, receive task or event-based gateway), whose activity a boundary event watches, or whose sub-process an event sub-process start listens in; NULL: an event sub-process start at the run''s top level.';
COMMENT ON COLUMN automation.workflow_event_subscriptions.node_id IS 'The catching node: the catch event, receive task, boundary event or event sub-process start event.';
COMMENT ON COLUMN automation.workflow_event_subscriptions.event_type IS 'timer, message or signal.';
COMMENT ON COLUMN automation.workflow_event_subscriptions.event_name IS 'The message or signal name (NULL for a timer).';
COMMENT ON COLUMN automation.workflow_event_subscriptions.correlation IS 'Message correlation: the variables (JSON object) a message must match, besides the business key.';
COMMENT ON COLUMN automation.workflow_event_subscriptions.due_at IS 'When a timer fires; every due timer is found through one index (idx_workflow_event_subscriptions_due).';
COMMENT ON COLUMN automation.workflow_event_subscriptions.timer IS 'The timer definition ({"date"|"duration"|"cycle"}) and, for a cycle, the repetitions left.';
