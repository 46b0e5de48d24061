-- Moves an automation run on when the queue task of one of its steps is completed or cancelled.
CREATE TRIGGER trg_workflow_tasks_resume_engine
    AFTER UPDATE OF status ON flowable.workflow_tasks
    FOR EACH ROW
    WHEN (NEW.status IN ('COMPLETED', 'CANCELLED') AND OLD.status IS DISTINCT FROM NEW.status
          AND NEW.task_data ? 'execution_id')
    EXECUTE FUNCTION automation.resume_engine_from_task();

COMMENT ON TRIGGER trg_workflow_tasks_resume_engine ON flowable.workflow_tasks IS
    'A completed or cancelled task opened by the automation engine finishes its step and moves the run on (automation.resume_engine_from_task).';
