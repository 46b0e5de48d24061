-- A renamed queue keeps its true current_load: see flowable.renamed_queue_load.
CREATE TRIGGER trg_workflow_queues_rename_load
    BEFORE UPDATE OF queue_name ON flowable.workflow_queues
    FOR EACH ROW
    WHEN (OLD.queue_name IS DISTINCT FROM NEW.queue_name)
    EXECUTE FUNCTION flowable.renamed_queue_load();

COMMENT ON TRIGGER trg_workflow_queues_rename_load ON flowable.workflow_queues IS
    'On a rename, current_load restarts from 0 and the queue''s tasks, following the new name through ON UPDATE CASCADE, count themselves in again (flowable.renamed_queue_load).';
