-- The floor of the specification's own schema (spec_schema.sql: its indexes and CHECKs, none of
-- pgwf's triggers): the claim and completion of bare_claim_complete.sql as plain SQL, writing the
-- same history rows, one statement per transaction. Run with -M prepared, like bare_claim_complete.sql.
\set uid random(1, 8)
WITH p AS (
    SELECT task_id FROM flowable.workflow_tasks
    WHERE queue_name = ANY ('{Q1,Q2,Q3,Q4,Q5}') AND status = 'OPEN' AND candidate_groups && '{AGENT}'::text[]
    ORDER BY priority DESC, created_at LIMIT 1 FOR UPDATE SKIP LOCKED
), u AS (
    UPDATE flowable.workflow_tasks t SET status = 'CLAIMED', assignee_id = 'agent' || :uid, claimed_by = 'agent' || :uid, claimed_at = now()
    FROM p WHERE t.task_id = p.task_id RETURNING t.task_id, t.process_instance_id
), h AS (
    INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, old_status, new_status, new_assignee)
    SELECT task_id, process_instance_id, 'CLAIM', 'agent' || :uid, 'OPEN', 'CLAIMED', 'agent' || :uid FROM u
)
SELECT task_id AS tid FROM u \gset
WITH u AS (
    UPDATE flowable.workflow_tasks SET status = 'COMPLETED', completed_at = now(), completed_by = 'agent' || :uid, outcome = 'DONE'
    WHERE task_id = :tid RETURNING task_id, process_instance_id
)
INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, old_status, new_status, old_assignee, new_assignee)
SELECT task_id, process_instance_id, 'COMPLETE', 'agent' || :uid, 'CLAIMED', 'COMPLETED', 'agent' || :uid, 'agent' || :uid FROM u;
