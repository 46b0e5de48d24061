-- Keeps automation.workflows.updated_at current on every UPDATE.
CREATE TRIGGER audit_trigger_workflows
    BEFORE UPDATE ON automation.workflows
    FOR EACH ROW EXECUTE FUNCTION flowable.audit_trigger_function();

COMMENT ON TRIGGER audit_trigger_workflows ON automation.workflows IS
    'Sets updated_at to the time of the change (flowable.audit_trigger_function).';
