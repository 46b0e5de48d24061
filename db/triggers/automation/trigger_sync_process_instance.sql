-- Keeps flowable.process_instances in step with the run it records.
CREATE TRIGGER trigger_sync_process_instance
    AFTER UPDATE OF status, completed_at, paused_at, current_step ON automation.workflow_instances
    FOR EACH ROW
    EXECUTE FUNCTION automation.sync_process_instance();

COMMENT ON TRIGGER trigger_sync_process_instance ON automation.workflow_instances IS
    'Copies the run''s status (mapped), completion, pause and current step to its flowable.process_instances row (automation.sync_process_instance).';
