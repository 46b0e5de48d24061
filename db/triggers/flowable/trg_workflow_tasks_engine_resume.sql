-- Moves an automation run on when the queue task of one of its steps is completed or cancelled.
-- Its name sorts before trg_workflow_tasks_queue_load_change on purpose: PostgreSQL fires the
-- triggers of one event in name order, and the run row must be locked before any queue row
-- (the engine itself locks run, then queue), or a completion and the engine opening a task of
-- the same run in the same queue deadlock.
CREATE TRIGGER trg_workflow_tasks_engine_resume
    AFTER UPDATE OF status ON flowable.workflow_tasks
    FOR EACH ROW
    -- text[] constants rather than IN (...): a WHEN clause is read again for every UPDATE statement.
    WHEN (NEW.status::text = ANY ('{COMPLETED,CANCELLED}'::text[]) AND OLD.status IS DISTINCT FROM NEW.status
          AND NEW.task_data ? 'execution_id')
    EXECUTE FUNCTION automation.resume_engine_from_task();

COMMENT ON TRIGGER trg_workflow_tasks_engine_resume ON flowable.workflow_tasks IS
    'A completed or cancelled task opened by the automation engine finishes its step and moves the run on (automation.resume_engine_from_task).';
