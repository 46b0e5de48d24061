-- pgwf 0018: bounded storage for refused webhook deliveries (issue 16, item 5; docs/operations.md,
-- "Webhook deliveries").
-- depends: 0017_engine-speed
--
-- * workflow_trigger_deliveries: a refused delivery keeps no payload and a reason of at most 500
--   characters (the rows already logged are cut down to that here).
-- * webhook_refusals: refusals counted by source network and minute; beyond
--   pgwf.webhook_refusals_per_minute a refusal is only counted, not logged.

SET LOCAL ROLE pgwf_owner;

UPDATE automation.workflow_trigger_deliveries SET payload = NULL WHERE NOT accepted AND payload IS NOT NULL;
UPDATE automation.workflow_trigger_deliveries SET reason = left(reason, 500) WHERE char_length(reason) > 500;
ALTER TABLE automation.workflow_trigger_deliveries
    ADD CONSTRAINT ck_workflow_trigger_deliveries_refused_payload CHECK (accepted OR payload IS NULL),
    ADD CONSTRAINT ck_workflow_trigger_deliveries_reason_length CHECK (char_length(reason) <= 500);
COMMENT ON COLUMN automation.workflow_trigger_deliveries.reason IS 'Why the delivery was refused, or that it was a duplicate (at most 500 characters).';
COMMENT ON COLUMN automation.workflow_trigger_deliveries.payload IS 'The payload of an accepted delivery; a refused one keeps none.';

CREATE TABLE automation.webhook_refusals (
    source_network INET NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    refusals INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT webhook_refusals_pkey PRIMARY KEY (source_network, window_start),
    CONSTRAINT ck_webhook_refusals_refusals CHECK (refusals >= 0)
);

CREATE INDEX idx_webhook_refusals_window_start ON automation.webhook_refusals (window_start);

COMMENT ON TABLE automation.webhook_refusals IS 'pgwf addition: refused webhook deliveries counted by source network and minute; beyond pgwf.webhook_refusals_per_minute a minute a refusal is only counted here, not logged in workflow_trigger_deliveries.';
COMMENT ON COLUMN automation.webhook_refusals.source_network IS 'The sender: its IPv4 address (/32), the /64 network of an IPv6 address, 0.0.0.0/32 when the address is unknown.';
COMMENT ON COLUMN automation.webhook_refusals.window_start IS 'The minute (date_trunc(''minute'', now())) the refusals were counted in.';
COMMENT ON COLUMN automation.webhook_refusals.refusals IS 'Deliveries refused from the source in that minute, logged or not.';

RESET ROLE;
