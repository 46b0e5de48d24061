-- Keeps flowable.workflow_queues.updated_at current: set to the time of each UPDATE.
-- The specification asks for this trigger on every table with updated_at.
CREATE TRIGGER audit_trigger_workflow_queues
    BEFORE UPDATE ON flowable.workflow_queues
    FOR EACH ROW EXECUTE FUNCTION flowable.audit_trigger_function();

COMMENT ON TRIGGER audit_trigger_workflow_queues ON flowable.workflow_queues IS 'Sets updated_at to the time of the change on every UPDATE.';
