-- Moves a task's count between queues, or out of current_load, when its queue changes or it
-- becomes finished (or unfinished again). The WHEN clause keeps ordinary status changes
-- between unfinished states (claim, delegate, escalate) free of any trigger call.
CREATE TRIGGER trg_workflow_tasks_queue_load_change
    AFTER UPDATE OF status, queue_name ON flowable.workflow_tasks
    FOR EACH ROW
    -- text[] constants rather than IN (...): a WHEN clause is read again for every UPDATE statement.
    WHEN ((OLD.status::text = ANY ('{OPEN,CLAIMED,DELEGATED,ESCALATED}'::text[]))
              IS DISTINCT FROM (NEW.status::text = ANY ('{OPEN,CLAIMED,DELEGATED,ESCALATED}'::text[]))
          OR OLD.queue_name IS DISTINCT FROM NEW.queue_name)
    EXECUTE FUNCTION flowable.maintain_queue_load();

COMMENT ON TRIGGER trg_workflow_tasks_queue_load_change ON flowable.workflow_tasks IS
    'Keeps workflow_queues.current_load exact when a task changes queue or finishes.';
