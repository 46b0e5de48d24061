-- Keeps automation.workflow_executions.updated_at current on every UPDATE.
CREATE TRIGGER audit_trigger_workflow_executions
    BEFORE UPDATE ON automation.workflow_executions
    FOR EACH ROW EXECUTE FUNCTION flowable.audit_trigger_function();

COMMENT ON TRIGGER audit_trigger_workflow_executions ON automation.workflow_executions IS
    'Sets updated_at to the time of the change (flowable.audit_trigger_function).';
