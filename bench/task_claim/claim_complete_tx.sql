-- One claim-then-complete pair of a queue worker, as two explicit transactions of four round
-- trips each (BEGIN, identity, call, COMMIT). pgbench custom script; :uid picks one of the 8 agents.
\set uid random(1, 8)
BEGIN;
SELECT set_config('app.current_user_id', 'agent' || :uid, true);
SELECT quote_literal(task_id) AS tid FROM flowable.claim_next_task('agent' || :uid, '{Q1,Q2,Q3,Q4,Q5}') \gset
COMMIT;
BEGIN;
SELECT set_config('app.current_user_id', 'agent' || :uid, true);
SELECT status FROM flowable.complete_task(:tid, 'DONE');
COMMIT;
