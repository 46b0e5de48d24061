-- Undo pgwf 0020: no history time-to-live columns and no cleanup indexes (history removed by
-- the cleanup stays removed).
SET LOCAL ROLE pgwf_owner;

DROP INDEX flowable.idx_process_instances_closed;
DROP INDEX automation.idx_workflow_instances_finished;
ALTER TABLE flowable.workflow_definitions
    DROP CONSTRAINT chk_workflow_definitions_history_ttl_days,
    DROP COLUMN history_ttl_days;
ALTER TABLE automation.workflows
    DROP CONSTRAINT chk_workflows_history_ttl_days,
    DROP COLUMN history_ttl_days;

RESET ROLE;
