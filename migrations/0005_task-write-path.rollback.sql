-- Undo pgwf 0005: the IN (...) forms of the four CHECK constraints, the B-tree indexes
-- idx_workflow_tasks_due_date, idx_task_history_action_at and idx_workflow_queues_name.
SET LOCAL ROLE pgwf_owner;

ALTER TABLE flowable.workflow_tasks
    DROP CONSTRAINT chk_task_status,
    ADD CONSTRAINT chk_task_status
        CHECK (status IN ('OPEN', 'CLAIMED', 'COMPLETED', 'CANCELLED', 'DELEGATED', 'ESCALATED')),
    DROP CONSTRAINT chk_workflow_tasks_held_has_assignee,
    ADD CONSTRAINT chk_workflow_tasks_held_has_assignee
        CHECK (status NOT IN ('CLAIMED', 'DELEGATED') OR assignee_id IS NOT NULL);

ALTER TABLE flowable.task_history
    DROP CONSTRAINT chk_action_type,
    ADD CONSTRAINT chk_action_type
        CHECK (action_type IN ('CREATE', 'CLAIM', 'UNCLAIM', 'COMPLETE', 'DELEGATE', 'ESCALATE', 'UPDATE', 'CANCEL', 'REASSIGN', 'COMMENT'));

ALTER TABLE flowable.workflow_queues
    DROP CONSTRAINT chk_queue_type,
    ADD CONSTRAINT chk_queue_type
        CHECK (queue_type IN ('STANDARD', 'PRIORITY', 'SPECIALIZED', 'OVERFLOW'));

CREATE INDEX idx_workflow_tasks_due_date ON flowable.workflow_tasks (due_date) WHERE due_date IS NOT NULL;

DROP INDEX flowable.idx_task_history_action_at;
CREATE INDEX idx_task_history_action_at ON flowable.task_history (action_at);

CREATE INDEX idx_workflow_queues_name ON flowable.workflow_queues (queue_name);

RESET ROLE;
