-- The hot statements on flowable.task_history (as the owner, so the plans are of the table and
-- not of a person's policy): a task's history (API /tasks/{id}/history, pgwf task show), a
-- run's history (purge_history, run reports), an audit of one day, and the append. No reporting view reads task_history.
\pset pager off
EXPLAIN (COSTS OFF) SELECT h.history_id, h.action_type, h.action_at FROM flowable.task_history h
    WHERE h.task_id = 'task-20000' ORDER BY h.history_id;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT h.history_id, h.action_type, h.action_at FROM flowable.task_history h
    WHERE h.task_id = 'task-20000' ORDER BY h.history_id;
EXPLAIN (COSTS OFF) SELECT count(*) FROM flowable.task_history h WHERE h.process_instance_id = 'run-6000';
EXPLAIN (COSTS OFF) SELECT count(*) FROM flowable.task_history h
    WHERE h.action_at >= now() - interval '100 days' AND h.action_at < now() - interval '99 days';
EXPLAIN (COSTS OFF) INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, new_status)
    VALUES ('task-x', 'run-x', 'CREATE', 'SYSTEM', 'OPEN');
