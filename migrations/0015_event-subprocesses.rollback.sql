-- Undo pgwf 0015. Refused (nothing changed) while a running run listens for the start of an
-- event sub-process at its top level: the engine of 0014 has no place for it.
SET LOCAL ROLE pgwf_owner;

DO $rollback$
DECLARE
    v_rows bigint;
BEGIN
    SELECT count(*) INTO v_rows FROM automation.workflow_event_subscriptions WHERE token_id IS NULL;
    IF v_rows > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('rollback of 0015: %s subscriptions are event sub-process starts at the top level of running runs', v_rows),
            HINT = 'Let those runs finish or cancel them first.';
    END IF;
END;
$rollback$;

ALTER TABLE automation.workflow_event_subscriptions ALTER COLUMN token_id SET NOT NULL;
COMMENT ON COLUMN automation.workflow_event_subscriptions.token_id IS 'The token the event moves: the waiting token of a catch event or receive task, the activity''s token for a boundary event, the scope''s token (or the start token) for an event sub-process.';

RESET ROLE;
