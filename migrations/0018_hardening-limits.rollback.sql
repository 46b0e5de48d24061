-- Undo pgwf 0018: the refusal counters go; refused deliveries may keep a payload and a reason of
-- any length again (the payloads and reasons cut by 0018 stay cut).
SET LOCAL ROLE pgwf_owner;

DROP TABLE automation.webhook_refusals;
ALTER TABLE automation.workflow_trigger_deliveries
    DROP CONSTRAINT ck_workflow_trigger_deliveries_reason_length,
    DROP CONSTRAINT ck_workflow_trigger_deliveries_refused_payload;
COMMENT ON COLUMN automation.workflow_trigger_deliveries.reason IS 'Why the delivery was refused, or that it was a duplicate.';
COMMENT ON COLUMN automation.workflow_trigger_deliveries.payload IS NULL;

RESET ROLE;
