-- Keeps automation.workflow_instances.updated_at current on every UPDATE.
CREATE TRIGGER audit_trigger_workflow_instances
    BEFORE UPDATE ON automation.workflow_instances
    FOR EACH ROW EXECUTE FUNCTION flowable.audit_trigger_function();

COMMENT ON TRIGGER audit_trigger_workflow_instances ON automation.workflow_instances IS
    'Sets updated_at to the time of the change (flowable.audit_trigger_function).';
