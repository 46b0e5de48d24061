-- Trigger function of trg_workflow_queues_rename_load. When a queue is renamed, its tasks follow
-- the new name through the foreign key's ON UPDATE CASCADE, and maintain_queue_load, seeing each
-- unfinished one leave a queue name that no longer exists and enter the new one, adds it to the
-- renamed queue. Starting that queue's count from 0 here (before the row is written, so before
-- the cascade) makes it end the statement at exactly its number of unfinished tasks. A queue
-- emptied and deleted by the statement that moves its tasks elsewhere is no rename and is not
-- touched: its tasks' moves count as moves.
CREATE OR REPLACE FUNCTION flowable.renamed_queue_load()
RETURNS trigger
LANGUAGE plpgsql
-- no SET clause: one would be applied and undone on every row; every name is qualified
AS $$
BEGIN
    NEW.current_load := 0;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION flowable.renamed_queue_load() IS
    'BEFORE UPDATE OF queue_name trigger function on flowable.workflow_queues: a renamed queue''s current_load starts again from 0, and the tasks that follow it (ON UPDATE CASCADE) count themselves in through maintain_queue_load, so it ends the statement equal to its unfinished tasks.';

REVOKE ALL ON FUNCTION flowable.renamed_queue_load() FROM PUBLIC;
