-- Keeps automation.workflow_nodes.updated_at current on every UPDATE.
CREATE TRIGGER audit_trigger_workflow_nodes
    BEFORE UPDATE ON automation.workflow_nodes
    FOR EACH ROW EXECUTE FUNCTION flowable.audit_trigger_function();

COMMENT ON TRIGGER audit_trigger_workflow_nodes ON automation.workflow_nodes IS
    'Sets updated_at to the time of the change (flowable.audit_trigger_function).';
