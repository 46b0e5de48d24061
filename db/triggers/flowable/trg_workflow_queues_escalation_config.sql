-- Validates flowable.workflow_queues.escalation_config on every write (a CHECK may not call a
-- pgwf function; a trigger may): see flowable.validate_escalation_config.
CREATE TRIGGER trg_workflow_queues_escalation_config
    BEFORE INSERT OR UPDATE OF escalation_config ON flowable.workflow_queues
    FOR EACH ROW EXECUTE FUNCTION flowable.validate_escalation_config();

COMMENT ON TRIGGER trg_workflow_queues_escalation_config ON flowable.workflow_queues IS
    'Refuses (PW422) an escalation_config that escalate_overdue_tasks could not apply, naming the queue and the key.';
