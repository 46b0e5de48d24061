-- automation.workflow_trigger_deliveries: every webhook delivery and event seen by a trigger,
-- accepted or refused; its (trigger_id, idempotency_key) makes a repeated delivery start one run.
-- A refused delivery is a small fixed record (no payload, a reason of at most 500 characters).
-- Written by automation.receive_webhook and automation.publish_event; purged by
-- automation.purge_trigger_deliveries (run_maintenance).
CREATE TABLE automation.workflow_trigger_deliveries (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    trigger_id UUID,
    trigger_type VARCHAR(50) NOT NULL,
    idempotency_key VARCHAR(255),
    source_address INET,
    accepted BOOLEAN NOT NULL,
    reason TEXT,
    instance_id UUID,
    payload JSONB,
    received_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT workflow_trigger_deliveries_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_trigger_deliveries_trigger FOREIGN KEY (trigger_id)
        REFERENCES automation.workflow_triggers (id) ON DELETE CASCADE,
    CONSTRAINT fk_workflow_trigger_deliveries_instance FOREIGN KEY (instance_id)
        REFERENCES automation.workflow_instances (id) ON DELETE SET NULL,
    CONSTRAINT ck_workflow_trigger_deliveries_refused_payload CHECK (accepted OR payload IS NULL),
    CONSTRAINT ck_workflow_trigger_deliveries_reason_length CHECK (char_length(reason) <= 500)
);

CREATE UNIQUE INDEX uq_workflow_trigger_deliveries_idempotency
    ON automation.workflow_trigger_deliveries (trigger_id, idempotency_key)
    WHERE accepted AND idempotency_key IS NOT NULL;
CREATE INDEX idx_workflow_trigger_deliveries_received_at ON automation.workflow_trigger_deliveries (received_at);

COMMENT ON TABLE automation.workflow_trigger_deliveries IS 'pgwf addition: the log of webhook deliveries and events a trigger saw, accepted or refused (with the reason), and the run each accepted one started. A second accepted delivery with the same idempotency key for a trigger starts nothing.';
COMMENT ON COLUMN automation.workflow_trigger_deliveries.trigger_id IS 'The trigger the delivery was for; NULL when no trigger has the webhook endpoint.';
COMMENT ON COLUMN automation.workflow_trigger_deliveries.idempotency_key IS 'Sender''s delivery id: a repeat of an accepted key for the same trigger starts no second run.';
COMMENT ON COLUMN automation.workflow_trigger_deliveries.source_address IS 'The sender''s IP address (webhooks).';
COMMENT ON COLUMN automation.workflow_trigger_deliveries.accepted IS 'false: refused (wrong token, address outside allowedIPs, inactive trigger); nothing was started.';
COMMENT ON COLUMN automation.workflow_trigger_deliveries.reason IS 'Why the delivery was refused, or that it was a duplicate (at most 500 characters).';
COMMENT ON COLUMN automation.workflow_trigger_deliveries.payload IS 'The payload of an accepted delivery; a refused one keeps none.';
COMMENT ON COLUMN automation.workflow_trigger_deliveries.instance_id IS 'The run the delivery started.';
