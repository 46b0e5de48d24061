-- Keeps entitlements.workflow_roles.updated_at current: set to the time of each UPDATE.
-- The specification asks for this trigger on every table with updated_at.
CREATE TRIGGER audit_trigger_workflow_roles
    BEFORE UPDATE ON entitlements.workflow_roles
    FOR EACH ROW EXECUTE FUNCTION flowable.audit_trigger_function();

COMMENT ON TRIGGER audit_trigger_workflow_roles ON entitlements.workflow_roles IS 'Sets updated_at to the time of the change on every UPDATE.';
