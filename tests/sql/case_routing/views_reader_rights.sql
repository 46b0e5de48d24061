-- The case-routing reporting views run with the reader's rights (security_invoker): a person
-- (pgwf_app) gets figures over only the tasks and runs row-level security shows them, while
-- pgwf_reporting (reporting_read policies) gets every figure. Exact rows for both.
BEGIN;
SELECT plan(8);

SELECT tests.cr_world();
-- alice works Q_CLAIMS; bob works Q_FRAUD; nobody of them works Q_OTHER.
SELECT tests.cr_task('c1', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
SELECT tests.cr_task('c2', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice');
SELECT tests.cr_task('c3', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'COMPLETED', 'alice');
SELECT tests.cr_task('f1', 'Q_FRAUD', ARRAY['FRAUD_AGENT'], 'CLAIMED', 'bob');
SELECT tests.cr_task('f2', 'Q_FRAUD', ARRAY['FRAUD_AGENT'], 'CLAIMED', 'bob');
SELECT tests.cr_task('f3', 'Q_FRAUD', ARRAY['FRAUD_AGENT'], 'COMPLETED', 'bob');
SELECT tests.cr_task('o1', 'Q_OTHER', NULL);
UPDATE flowable.workflow_tasks SET claimed_at = now() - interval '2 hours', completed_at = now() - interval '1 hour'
WHERE task_id IN ('c3', 'f3');

SELECT ok((SELECT bool_and(coalesce(reloptions, '{}') @> ARRAY['security_invoker=true']) FROM pg_class
           WHERE oid IN ('flowable.v_user_workload'::regclass, 'flowable.v_active_tasks_by_queue'::regclass,
                         'flowable.v_process_performance'::regclass)),
    'the three case-routing views run with the reader''s rights');

SET LOCAL ROLE pgwf_test_app;
SELECT set_config('app.current_user_id', 'alice', true);
SELECT results_eq(
    $$SELECT user_id::text, role_code::text, claimed_tasks::int, completed_last_week::int FROM flowable.v_user_workload ORDER BY user_id, role_code$$,
    $$VALUES ('alice', 'CLAIMS_AGENT', 1, 1), ('bob', 'FRAUD_AGENT', 0, 0), ('carol', 'CLAIMS_SUPERVISOR', 0, 0)$$,
    'alice sees her own workload, and none of the fraud tasks bob holds');
SELECT results_eq(
    $$SELECT queue_name::text, open_tasks::int, claimed_tasks::int FROM flowable.v_active_tasks_by_queue ORDER BY queue_name$$,
    $$VALUES ('Q_CLAIMS', 1, 1), ('Q_FRAUD', 0, 0), ('Q_OTHER', 0, 0)$$,
    'alice''s queue counts cover only the queue she works');
SELECT results_eq(
    $$SELECT process_key::text, total_instances::int, active_instances::int FROM flowable.v_process_performance$$,
    $$VALUES ('test_process', 3, 3)$$,
    'alice''s process figures cover only the runs of tasks she may see');
SELECT set_config('app.current_user_id', '', true);
SELECT is((SELECT COALESCE(sum(claimed_tasks), 0)::int FROM flowable.v_user_workload), 0,
    'without an identity a person sees no task figures at all');
RESET ROLE;

SET LOCAL ROLE pgwf_test_reporting;
SELECT results_eq(
    $$SELECT user_id::text, role_code::text, claimed_tasks::int, completed_last_week::int FROM flowable.v_user_workload ORDER BY user_id, role_code$$,
    $$VALUES ('alice', 'CLAIMS_AGENT', 1, 1), ('bob', 'FRAUD_AGENT', 2, 1), ('carol', 'CLAIMS_SUPERVISOR', 0, 0)$$,
    'the reporting role sees every user''s workload');
SELECT results_eq(
    $$SELECT queue_name::text, open_tasks::int, claimed_tasks::int FROM flowable.v_active_tasks_by_queue ORDER BY queue_name$$,
    $$VALUES ('Q_CLAIMS', 1, 1), ('Q_FRAUD', 0, 2), ('Q_OTHER', 1, 0)$$,
    'the reporting role sees every queue''s counts');
SELECT results_eq(
    $$SELECT process_key::text, total_instances::int, active_instances::int FROM flowable.v_process_performance$$,
    $$VALUES ('test_process', 7, 7)$$,
    'the reporting role sees every run');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
