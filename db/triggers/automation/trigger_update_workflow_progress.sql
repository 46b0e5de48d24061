-- Keeps workflow_instances.progress and current_step in step with the run's executions.
CREATE TRIGGER trigger_update_workflow_progress
    AFTER INSERT OR UPDATE OF status ON automation.workflow_executions
    FOR EACH ROW EXECUTE FUNCTION automation.update_workflow_instance_progress();

COMMENT ON TRIGGER trigger_update_workflow_progress ON automation.workflow_executions IS
    'Recomputes the run''s progress and current_step when a step is added or changes status (automation.update_workflow_instance_progress).';
