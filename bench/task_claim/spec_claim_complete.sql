-- The same pair with the specification's claim_next_task (installed as bench_spec.claim_next_task,
-- with only the casts it needs to run) and a plain UPDATE with its history row as the completion,
-- one statement per transaction like claim_complete.sql.
\set uid random(1, 8)
SELECT quote_literal(task_id) AS tid FROM bench_spec.claim_next_task('agent' || :uid, '{Q1,Q2,Q3,Q4,Q5}') \gset
WITH u AS (
    UPDATE flowable.workflow_tasks SET status = 'COMPLETED', completed_at = now(), completed_by = 'agent' || :uid, outcome = 'DONE'
    WHERE task_id = :tid RETURNING task_id, process_instance_id
)
INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, old_status, new_status)
SELECT task_id, process_instance_id, 'COMPLETE', 'agent' || :uid, 'CLAIMED', 'COMPLETED' FROM u;
