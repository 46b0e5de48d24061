-- Undo pgwf 0014. Refused (nothing changed) while a run has a multi-instance activity open: the
-- engine of 0013 would not know its instances.
SET LOCAL ROLE pgwf_owner;

DO $rollback$
DECLARE
    v_rows bigint;
BEGIN
    SELECT count(*) INTO v_rows FROM automation.workflow_tokens WHERE locals IS NOT NULL;
    IF v_rows > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('rollback of 0014: %s live tokens belong to open multi-instance activities or loops', v_rows),
            HINT = 'Let those runs finish or cancel them first.';
    END IF;
END;
$rollback$;

ALTER TABLE automation.workflow_tokens DROP CONSTRAINT chk_workflow_tokens_locals;
ALTER TABLE automation.workflow_tokens DROP COLUMN locals;

RESET ROLE;
