-- Keeps automation.workflow_edges.updated_at current on every UPDATE.
CREATE TRIGGER audit_trigger_workflow_edges
    BEFORE UPDATE ON automation.workflow_edges
    FOR EACH ROW EXECUTE FUNCTION flowable.audit_trigger_function();

COMMENT ON TRIGGER audit_trigger_workflow_edges ON automation.workflow_edges IS
    'Sets updated_at to the time of the change (flowable.audit_trigger_function).';
