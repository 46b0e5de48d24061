-- Keeps automation.workflow_notifications.updated_at current on every UPDATE.
CREATE TRIGGER audit_trigger_workflow_notifications
    BEFORE UPDATE ON automation.workflow_notifications
    FOR EACH ROW EXECUTE FUNCTION flowable.audit_trigger_function();

COMMENT ON TRIGGER audit_trigger_workflow_notifications ON automation.workflow_notifications IS
    'Sets updated_at to the time of the change (flowable.audit_trigger_function).';
