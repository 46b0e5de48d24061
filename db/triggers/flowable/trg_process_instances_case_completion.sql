-- A run finishing (or getting a new SLA date) is reflected in its case mappings.
CREATE TRIGGER trg_process_instances_case_completion
    AFTER UPDATE OF status, completed_at, sla_due_date ON flowable.process_instances
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
          OR OLD.completed_at IS DISTINCT FROM NEW.completed_at
          OR OLD.sla_due_date IS DISTINCT FROM NEW.sla_due_date)
    EXECUTE FUNCTION onecms.track_case_completion();

COMMENT ON TRIGGER trg_process_instances_case_completion ON flowable.process_instances IS
    'Keeps actual_completion and expected_completion of onecms.case_workflow_mapping current.';
