-- Trigger function keeping flowable.workflow_queues.current_load equal to the number of
-- unfinished tasks (OPEN, CLAIMED, DELEGATED, ESCALATED) of each queue, whoever writes
-- workflow_tasks. Attached by triggers trg_workflow_tasks_queue_load and trg_workflow_tasks_queue_load_change.
CREATE OR REPLACE FUNCTION flowable.maintain_queue_load()
RETURNS trigger
LANGUAGE plpgsql
-- Not SECURITY DEFINER: only the owner (through the task service) and superusers write
-- workflow_tasks, and both may update workflow_queues; every name below is schema-qualified.
AS $$
DECLARE
    v_old_counts boolean := false;
    v_new_counts boolean := false;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        v_old_counts := OLD.status IN ('OPEN', 'CLAIMED', 'DELEGATED', 'ESCALATED');
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        v_new_counts := NEW.status IN ('OPEN', 'CLAIMED', 'DELEGATED', 'ESCALATED');
    END IF;

    IF TG_OP = 'UPDATE' AND v_old_counts AND v_new_counts AND OLD.queue_name = NEW.queue_name THEN
        RETURN NULL;  -- still unfinished in the same queue
    END IF;
    -- Counter updates are relative (current_load + 1), so concurrent transactions serialise on
    -- the queue row and the count stays exact.
    IF v_old_counts THEN
        UPDATE flowable.workflow_queues
        SET current_load = current_load - 1
        WHERE queue_name = OLD.queue_name;
    END IF;
    IF v_new_counts THEN
        UPDATE flowable.workflow_queues
        SET current_load = current_load + 1
        WHERE queue_name = NEW.queue_name;
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION flowable.maintain_queue_load() IS
    'AFTER trigger on flowable.workflow_tasks: adds 1 to current_load of the queue a task enters unfinished (OPEN, CLAIMED, DELEGATED, ESCALATED) and subtracts 1 from the queue it leaves or finishes in (COMPLETED, CANCELLED, deleted).';

REVOKE ALL ON FUNCTION flowable.maintain_queue_load() FROM PUBLIC;
