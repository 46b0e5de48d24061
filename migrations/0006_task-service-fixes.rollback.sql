-- Undo pgwf 0006: task_history.escalate_to back to varchar(50), workflow_queues.current_load
-- nullable again (the counts stay), and the earlier comment on workflow_roles.permissions. Refused (nothing changed) while a history row holds a longer
-- escalate_to, which the narrower column would have to cut.
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

ALTER TABLE flowable.workflow_queues ALTER COLUMN current_load DROP NOT NULL;

COMMENT ON COLUMN entitlements.workflow_roles.permissions IS 'Permission flags as a JSON object; {"view_all": true} lets holders see every task, history row and variable of the queues of the role''s department; {"supervise": true} lets them reassign tasks in those queues.';

RESET ROLE;
