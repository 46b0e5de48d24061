-- Counts a task into / out of its queue's current_load when it is inserted or deleted.
CREATE TRIGGER trg_workflow_tasks_queue_load
    AFTER INSERT OR DELETE ON flowable.workflow_tasks
    FOR EACH ROW EXECUTE FUNCTION flowable.maintain_queue_load();

COMMENT ON TRIGGER trg_workflow_tasks_queue_load ON flowable.workflow_tasks IS
    'Keeps workflow_queues.current_load exact when tasks are inserted or deleted.';
