-- automation.workflow_triggers: what starts a workflow automatically (schedule, event, webhook)
-- or by hand. Read by automation.run_maintenance, automation.publish_event, automation.receive_webhook.
CREATE TABLE automation.workflow_triggers (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    workflow_id UUID NOT NULL,
    trigger_type VARCHAR(50) NOT NULL,
    trigger_source VARCHAR(100),
    configuration JSONB,
    is_active BOOLEAN NOT NULL DEFAULT true,
    last_triggered TIMESTAMPTZ,
    trigger_count INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    token_hash VARCHAR(128),
    CONSTRAINT workflow_triggers_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_triggers_workflow FOREIGN KEY (workflow_id)
        REFERENCES automation.workflows (id) ON DELETE CASCADE,
    CONSTRAINT chk_workflow_triggers_type CHECK (trigger_type IN ('schedule', 'event', 'webhook', 'manual'))
);

CREATE INDEX idx_workflow_triggers_workflow_id ON automation.workflow_triggers (workflow_id);
CREATE INDEX idx_workflow_triggers_type ON automation.workflow_triggers (trigger_type);
CREATE INDEX idx_workflow_triggers_active ON automation.workflow_triggers (is_active);
CREATE INDEX idx_workflow_triggers_source ON automation.workflow_triggers (trigger_source);

COMMENT ON TABLE automation.workflow_triggers IS 'What starts a workflow: a cron schedule, a published event, a webhook delivery, or a person (manual).';
COMMENT ON COLUMN automation.workflow_triggers.trigger_type IS 'schedule, event, webhook or manual.';
COMMENT ON COLUMN automation.workflow_triggers.trigger_source IS 'Where the trigger comes from: cron, tenable, gitlab, api, ...; an event trigger matches events of this source.';
COMMENT ON COLUMN automation.workflow_triggers.configuration IS 'Trigger settings: cronExpression and timezone (schedule); severity, cvssThreshold, assetGroups, eventType (event); endpoint and allowedIPs (webhook).';
COMMENT ON COLUMN automation.workflow_triggers.last_triggered IS 'When the trigger last started a run (for a schedule: the cron minute that fired).';
COMMENT ON COLUMN automation.workflow_triggers.trigger_count IS 'How many times the trigger has started runs.';
COMMENT ON COLUMN automation.workflow_triggers.token_hash IS 'pgwf addition: hex SHA-256 of a webhook trigger''s bearer token; the token itself is never stored.';
