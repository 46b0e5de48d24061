-- pgwf 0005: a cheaper write path for claiming and completing tasks (bench/RESULTS.md).
-- depends: 0004_api-tokens
--
-- * The CHECK constraints with a value list on the tables every claim and completion writes
--   (chk_task_status, chk_workflow_tasks_held_has_assignee, chk_action_type, chk_queue_type) are
--   written with one text[] constant instead of IN (...): the same rule, but PostgreSQL reads and
--   simplifies each CHECK expression again for every INSERT or UPDATE statement, and an IN list
--   of varchar literals is an array built and cast each time.
-- * idx_workflow_tasks_due_date goes: idx_workflow_tasks_overdue leads with due_date over the
--   unfinished tasks, the only ones searched by due date.
-- * idx_task_history_action_at becomes a BRIN index: history is appended in time order.
-- * idx_workflow_queues_name goes: it is the same B-tree as the index of uq_workflow_queues_name.
--
-- Each ADD CONSTRAINT checks the existing rows (they already obey the same rule).

SET LOCAL ROLE pgwf_owner;

ALTER TABLE flowable.workflow_tasks
    DROP CONSTRAINT chk_task_status,
    ADD CONSTRAINT chk_task_status
        CHECK (status::text = ANY ('{OPEN,CLAIMED,COMPLETED,CANCELLED,DELEGATED,ESCALATED}'::text[])),
    DROP CONSTRAINT chk_workflow_tasks_held_has_assignee,
    ADD CONSTRAINT chk_workflow_tasks_held_has_assignee
        CHECK (assignee_id IS NOT NULL OR status::text <> ALL ('{CLAIMED,DELEGATED}'::text[]));

ALTER TABLE flowable.task_history
    DROP CONSTRAINT chk_action_type,
    ADD CONSTRAINT chk_action_type
        CHECK (action_type::text = ANY ('{CREATE,CLAIM,UNCLAIM,COMPLETE,DELEGATE,ESCALATE,UPDATE,CANCEL,REASSIGN,COMMENT}'::text[]));

ALTER TABLE flowable.workflow_queues
    DROP CONSTRAINT chk_queue_type,
    ADD CONSTRAINT chk_queue_type
        CHECK (queue_type::text = ANY ('{STANDARD,PRIORITY,SPECIALIZED,OVERFLOW}'::text[]));

DROP INDEX flowable.idx_workflow_tasks_due_date;

DROP INDEX flowable.idx_task_history_action_at;
CREATE INDEX idx_task_history_action_at ON flowable.task_history USING brin (action_at);
COMMENT ON INDEX flowable.idx_task_history_action_at IS 'History by time (audits of a period, retention purges): BRIN over action_at, in which history is appended; an insert adds no entry.';

DROP INDEX flowable.idx_workflow_queues_name;

RESET ROLE;
