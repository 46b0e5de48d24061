-- An unfinished task moving to another queue (reassignment, escalation) is a routing step of its
-- case; a finished task is not, and neither is a queue rename (onecms.track_case_routing).
CREATE TRIGGER trg_workflow_tasks_case_routing_move
    AFTER UPDATE OF queue_name ON flowable.workflow_tasks
    FOR EACH ROW
    WHEN (OLD.queue_name IS DISTINCT FROM NEW.queue_name
          AND NEW.status::text = ANY ('{OPEN,CLAIMED,DELEGATED,ESCALATED}'::text[]))
    EXECUTE FUNCTION onecms.track_case_routing();

COMMENT ON TRIGGER trg_workflow_tasks_case_routing_move ON flowable.workflow_tasks IS
    'Appends a move of an unfinished task to another queue to its case''s routing_history and updates department and phase (a finished task''s move and a queue rename are no routing step).';
