-- One claim-then-complete pair as an application login that is not trusted (docs/operations.md,
-- "Who may say who is acting"): each transaction authenticates with the agent's bearer token
-- (entitlements.authenticate signs the identity), then calls the task service. pgbench custom
-- script; :uid picks one of the 8 agents, whose tokens are in public.bench_tokens.
\set uid random(1, 8)
BEGIN;
SELECT entitlements.authenticate((SELECT token FROM public.bench_tokens WHERE uid = :uid));
SELECT quote_literal(task_id) AS tid FROM flowable.claim_next_task('agent' || :uid, '{Q1,Q2,Q3,Q4,Q5}') \gset
COMMIT;
BEGIN;
SELECT entitlements.authenticate((SELECT token FROM public.bench_tokens WHERE uid = :uid));
SELECT status FROM flowable.complete_task(:tid, 'DONE');
COMMIT;
