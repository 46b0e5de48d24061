-- automation.webhook_refusals: how many webhook deliveries were refused from one source network
-- in one minute. receive_webhook logs the first pgwf.webhook_refusals_per_minute of them in
-- workflow_trigger_deliveries and only counts the rest here, so a flood leaves one row a source a
-- minute; run_maintenance (purge_trigger_deliveries) deletes rows older than the refused
-- deliveries' retention. Written by automation.receive_webhook.
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
