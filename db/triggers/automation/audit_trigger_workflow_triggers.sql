-- Keeps automation.workflow_triggers.updated_at current on every UPDATE.
CREATE TRIGGER audit_trigger_workflow_triggers
    BEFORE UPDATE ON automation.workflow_triggers
    FOR EACH ROW EXECUTE FUNCTION flowable.audit_trigger_function();

COMMENT ON TRIGGER audit_trigger_workflow_triggers ON automation.workflow_triggers IS
    'Sets updated_at to the time of the change (flowable.audit_trigger_function).';
