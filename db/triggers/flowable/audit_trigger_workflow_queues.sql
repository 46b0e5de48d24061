-- Keeps flowable.workflow_queues.updated_at current: set to the time of each UPDATE.
-- The specification asks for this trigger on every table with updated_at.
CREATE TRIGGER audit_trigger_workflow_queues
    BEFORE UPDATE ON flowable.workflow_queues
    FOR EACH ROW
    -- current_load is a counter the database keeps, not a change to the queue: its updates (one
    -- per finished task) leave updated_at alone.
    WHEN (OLD.current_load IS NOT DISTINCT FROM NEW.current_load)
    EXECUTE FUNCTION flowable.audit_trigger_function();

COMMENT ON TRIGGER audit_trigger_workflow_queues ON flowable.workflow_queues IS 'Sets updated_at to the time of the change on every UPDATE that does not change current_load (the load counter kept by the task triggers is not a change to the queue).';
