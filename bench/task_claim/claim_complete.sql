-- One claim-then-complete pair of a queue worker, as two transactions of one statement each:
-- the identity is set in the same statement as the call (set_config(..., true) lasts until the
-- statement's implicit transaction ends), so each action is one round trip and one commit.
-- pgbench custom script; :uid picks one of the 8 agents. claim_complete_tx.sql is the same pair
-- with an explicit BEGIN, set_config, call, COMMIT (four round trips each).
\set uid random(1, 8)
SELECT quote_literal(c.task_id) AS tid
FROM pg_catalog.set_config('app.current_user_id', 'agent' || :uid, true) AS me,
     flowable.claim_next_task(me, '{Q1,Q2,Q3,Q4,Q5}') AS c \gset
SELECT (flowable.complete_task(:tid, 'DONE')).status
FROM pg_catalog.set_config('app.current_user_id', 'agent' || :uid, true) AS me;
