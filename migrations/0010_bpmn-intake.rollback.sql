-- Undo pgwf 0010: drop the ignored-element list and the start rules of process versions
-- (who may start a version is forgotten: anyone may start it again).
SET LOCAL ROLE pgwf_owner;

ALTER TABLE flowable.workflow_definitions
    DROP CONSTRAINT chk_workflow_definitions_start_rules,
    DROP CONSTRAINT chk_workflow_definitions_ignored_elements,
    DROP COLUMN start_rules,
    DROP COLUMN ignored_elements;

RESET ROLE;
