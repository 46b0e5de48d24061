-- Keeps automation.workflow_approvals.updated_at current on every UPDATE.
CREATE TRIGGER audit_trigger_workflow_approvals
    BEFORE UPDATE ON automation.workflow_approvals
    FOR EACH ROW EXECUTE FUNCTION flowable.audit_trigger_function();

COMMENT ON TRIGGER audit_trigger_workflow_approvals ON automation.workflow_approvals IS
    'Sets updated_at to the time of the change (flowable.audit_trigger_function).';
