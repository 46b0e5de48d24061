-- Sets completed_at/paused_at (and progress 100 on completion) when a run's status changes.
CREATE TRIGGER trigger_workflow_instance_status_times
    BEFORE UPDATE OF status ON automation.workflow_instances
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION automation.set_workflow_instance_status_times();

COMMENT ON TRIGGER trigger_workflow_instance_status_times ON automation.workflow_instances IS
    'completed_at follows the status: set once when the run becomes terminal; paused_at while paused (automation.set_workflow_instance_status_times).';
