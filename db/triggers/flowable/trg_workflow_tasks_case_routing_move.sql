-- An unfinished task moving to another queue (reassignment, escalation, a renamed queue) is a
-- routing step of its case. A finished task carried along by a queue rename is not: it must not
-- set the case's phase back to its own step.
CREATE TRIGGER trg_workflow_tasks_case_routing_move
    AFTER UPDATE OF queue_name ON flowable.workflow_tasks
    FOR EACH ROW
    WHEN (OLD.queue_name IS DISTINCT FROM NEW.queue_name
          AND NEW.status::text = ANY ('{OPEN,CLAIMED,DELEGATED,ESCALATED}'::text[]))
    EXECUTE FUNCTION onecms.track_case_routing();

COMMENT ON TRIGGER trg_workflow_tasks_case_routing_move ON flowable.workflow_tasks IS
    'Appends a queue change of an unfinished task to its case''s routing_history and updates department and phase (finished tasks moved by a queue rename are no routing step).';
