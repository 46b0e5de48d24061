-- automation.workflow_notifications: the notification outbox of the engine.
-- Rows written by the engine (notification nodes, approval requests, error alerts); delivered by
-- the notifier through automation.claim_notifications / mark_notification_sent / mark_notification_failed.
CREATE TABLE automation.workflow_notifications (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    workflow_id UUID,
    instance_id UUID,
    execution_id UUID,
    notification_type VARCHAR(50) NOT NULL,
    channel VARCHAR(50) NOT NULL,
    recipients JSONB,
    subject VARCHAR(255),
    message TEXT,
    status VARCHAR(50) NOT NULL DEFAULT 'pending',
    sent_at TIMESTAMPTZ,
    delivered_at TIMESTAMPTZ,
    error_details TEXT,
    retry_count INTEGER NOT NULL DEFAULT 0,
    notification_data JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    next_attempt_at TIMESTAMPTZ,
    lease_owner VARCHAR(100),
    lease_expires_at TIMESTAMPTZ,
    CONSTRAINT workflow_notifications_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_notifications_workflow FOREIGN KEY (workflow_id)
        REFERENCES automation.workflows (id),
    CONSTRAINT fk_workflow_notifications_instance FOREIGN KEY (instance_id)
        REFERENCES automation.workflow_instances (id),
    CONSTRAINT fk_workflow_notifications_execution FOREIGN KEY (execution_id)
        REFERENCES automation.workflow_executions (id),
    CONSTRAINT chk_workflow_notifications_channel CHECK (channel IN ('email', 'slack', 'webhook', 'sms')),
    CONSTRAINT chk_workflow_notifications_status CHECK (status IN ('pending', 'sent', 'failed'))
);

CREATE INDEX idx_workflow_notifications_workflow_id ON automation.workflow_notifications (workflow_id);
CREATE INDEX idx_workflow_notifications_instance_id ON automation.workflow_notifications (instance_id);
CREATE INDEX idx_workflow_notifications_type ON automation.workflow_notifications (notification_type);
CREATE INDEX idx_workflow_notifications_channel ON automation.workflow_notifications (channel);
CREATE INDEX idx_workflow_notifications_status ON automation.workflow_notifications (status);
CREATE INDEX idx_workflow_notifications_deliverable ON automation.workflow_notifications (next_attempt_at NULLS FIRST)
    WHERE status = 'pending';
CREATE INDEX idx_workflow_notifications_execution_id ON automation.workflow_notifications (execution_id);

COMMENT ON TABLE automation.workflow_notifications IS 'Notification outbox: one row per message to deliver; the notifier leases pending rows, renders and sends them, and reports sent or failed (failures retry with backoff).';
COMMENT ON COLUMN automation.workflow_notifications.notification_type IS 'step_complete, workflow_complete, approval_request, error_alert (or a type named by a notification node).';
COMMENT ON COLUMN automation.workflow_notifications.channel IS 'email, slack, webhook or sms.';
COMMENT ON COLUMN automation.workflow_notifications.recipients IS 'JSON array of recipients (addresses, user ids, channel names).';
COMMENT ON COLUMN automation.workflow_notifications.status IS 'pending (to deliver), sent, failed (gave up).';
COMMENT ON COLUMN automation.workflow_notifications.retry_count IS 'Failed delivery attempts so far.';
COMMENT ON COLUMN automation.workflow_notifications.notification_data IS 'Channel-specific data: template, connection name, Slack blocks, ...';
COMMENT ON COLUMN automation.workflow_notifications.next_attempt_at IS 'pgwf addition: not deliverable before this time (retry backoff); NULL is at once.';
COMMENT ON COLUMN automation.workflow_notifications.lease_owner IS 'pgwf addition: the notifier process holding the delivery lease.';
COMMENT ON COLUMN automation.workflow_notifications.lease_expires_at IS 'pgwf addition: when the delivery lease runs out and another notifier may take the row.';
