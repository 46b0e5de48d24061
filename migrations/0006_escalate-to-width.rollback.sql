-- Undo pgwf 0006: task_history.escalate_to back to varchar(50). Refused (nothing changed) while
-- a history row holds a longer name, which the narrower column would have to cut.
SET LOCAL ROLE pgwf_owner;

DO $rollback$
DECLARE
    v_rows bigint;
BEGIN
    SELECT count(*) INTO v_rows FROM flowable.task_history WHERE length(escalate_to) > 50;
    IF v_rows > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('rollback of 0006: %s task_history rows have an escalate_to longer than 50 characters', v_rows),
            HINT = 'Shorten or delete those rows first; varchar(50) cannot hold them.';
    END IF;
END
$rollback$;

ALTER TABLE flowable.task_history ALTER COLUMN escalate_to TYPE varchar(50);

RESET ROLE;
