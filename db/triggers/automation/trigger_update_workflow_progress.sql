-- Keeps workflow_instances.progress and current_step in step with the run's executions.
-- The WHEN clause keeps the steps engine_advance writes in a batch (it refreshes once at its
-- end) from even queuing the trigger: no function call a step on the engine's hot path.
CREATE TRIGGER trigger_update_workflow_progress
    AFTER INSERT OR UPDATE OF status ON automation.workflow_executions
    FOR EACH ROW
    WHEN (current_setting('pgwf.engine_batch', true) IS DISTINCT FROM NEW.instance_id::text)
    EXECUTE FUNCTION automation.update_workflow_instance_progress();

COMMENT ON TRIGGER trigger_update_workflow_progress ON automation.workflow_executions IS
    'Recomputes the run''s progress and current_step when a step is added or changes status (automation.update_workflow_instance_progress), except for the steps engine_advance writes for the run it batches (pgwf.engine_batch).';
