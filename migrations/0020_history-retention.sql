-- pgwf 0020: history retention (issue 15, item 1; docs/operations.md, "History retention").
-- depends: 0019_verified-identity
--
-- * automation.workflows.history_ttl_days and flowable.workflow_definitions.history_ttl_days: how
--   many days the history of a finished run of that version is kept (NULL: the database setting
--   pgwf.history_ttl_days, unset by default, which keeps history for ever). Like Camunda's
--   historyTimeToLive; automation.purge_history (a duty of run_maintenance) removes what is older.
-- * Partial indexes over finished root runs and closed process instances by completion time, so
--   the cleanup finds the oldest first without reading live work.

SET LOCAL ROLE pgwf_owner;

ALTER TABLE automation.workflows
    ADD COLUMN history_ttl_days INTEGER,
    ADD CONSTRAINT chk_workflows_history_ttl_days CHECK (history_ttl_days BETWEEN 0 AND 36500);
COMMENT ON COLUMN automation.workflows.history_ttl_days IS 'pgwf addition: days a finished run of this version is kept before automation.purge_history removes it with its steps, tasks and history; NULL: the version''s definition, else the setting pgwf.history_ttl_days (unset: kept for ever).';

ALTER TABLE flowable.workflow_definitions
    ADD COLUMN history_ttl_days INTEGER,
    ADD CONSTRAINT chk_workflow_definitions_history_ttl_days CHECK (history_ttl_days BETWEEN 0 AND 36500);
COMMENT ON COLUMN flowable.workflow_definitions.history_ttl_days IS 'pgwf addition: days a closed process instance of this version is kept before automation.purge_history removes it (BPMN camunda:historyTimeToLive or flowable:historyTimeToLive at deploy); NULL: the setting pgwf.history_ttl_days (unset: kept for ever).';

CREATE INDEX idx_workflow_instances_finished ON automation.workflow_instances (workflow_id, completed_at)
    WHERE status IN ('completed', 'failed', 'cancelled') AND parent_instance_id IS NULL;
COMMENT ON INDEX automation.idx_workflow_instances_finished IS 'History cleanup: finished root runs of each workflow version, oldest first (automation.expired_history reads only the versions with a time-to-live, each up to its cut-off).';
CREATE INDEX idx_process_instances_closed ON flowable.process_instances (workflow_id, completed_at)
    WHERE status IN ('COMPLETED', 'TERMINATED');
COMMENT ON INDEX flowable.idx_process_instances_closed IS 'History cleanup: closed process instances of each definition, oldest first (automation.expired_history reads only the definitions with a time-to-live, each up to its cut-off).';

RESET ROLE;
