-- A task moving to another queue (reassignment, escalation) is a routing step of its case.
CREATE TRIGGER trg_workflow_tasks_case_routing_move
    AFTER UPDATE OF queue_name ON flowable.workflow_tasks
    FOR EACH ROW
    WHEN (OLD.queue_name IS DISTINCT FROM NEW.queue_name)
    EXECUTE FUNCTION onecms.track_case_routing();

COMMENT ON TRIGGER trg_workflow_tasks_case_routing_move ON flowable.workflow_tasks IS
    'Appends a queue change of a task to its case''s routing_history and updates department and phase.';
