-- The reporting views of case-routing-schema.md on a hand-built dataset: exact rows.
BEGIN;
SELECT plan(9);

SELECT tests.cr_world();
SELECT tests.cr_queue('Q_OLD', 'CLAIMS', p_is_active => false);
SELECT tests.cr_queue('Q_NODEPT');
SELECT tests.cr_task('c1', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
SELECT tests.cr_task('c2', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
SELECT tests.cr_task('c3', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice');
SELECT tests.cr_task('c4', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'ESCALATED');
SELECT tests.cr_task('c5', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'COMPLETED', 'alice', p_created_at => now() - interval '5 hours');
SELECT tests.cr_task('c6', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'COMPLETED', 'alice', p_created_at => now() - interval '12 days');
SELECT tests.cr_task('f1', 'Q_FRAUD', ARRAY['FRAUD_AGENT']);
SELECT tests.cr_task('old1', 'Q_OLD', NULL);
-- c5: created 5 h ago, claimed 4 h ago, completed 3 h ago (1 h of work, 2 h from creation);
-- c6: created 12 days ago, claimed 3 h later, completed 3 h after the claim and 10 days ago (6 h from creation).
UPDATE flowable.workflow_tasks SET claimed_at = now() - interval '4 hours', completed_at = now() - interval '3 hours' WHERE task_id = 'c5';
UPDATE flowable.workflow_tasks SET claimed_at = created_at + interval '3 hours', completed_at = created_at + interval '6 hours' WHERE task_id = 'c6';

SELECT results_eq(
    $$SELECT queue_name::text, department_name::text, open_tasks::int, claimed_tasks::int, escalated_tasks::int,
             round(avg_completion_hours, 6)
      FROM flowable.v_active_tasks_by_queue ORDER BY queue_name$$,
    $$VALUES ('Q_CLAIMS', 'Claims department', 2, 1, 1, 4.000000),
             ('Q_FRAUD', 'Claims department', 1, 0, 0, NULL),
             ('Q_NODEPT', NULL, 0, 0, 0, NULL),
             ('Q_OTHER', 'Other department', 0, 0, 0, NULL)$$,
    'v_active_tasks_by_queue counts tasks per active queue by status and averages completed hours (NULL without completions)');
SELECT is((SELECT department_id FROM flowable.v_active_tasks_by_queue WHERE queue_name = 'Q_CLAIMS'),
          (SELECT department_id FROM entitlements.departments WHERE department_code = 'CLAIMS'),
    'v_active_tasks_by_queue carries the queue''s department_id');

-- The spec's WHERE (u.is_active AND valid_until IS NULL OR valid_until > now) lets frank (inactive,
-- grant valid until next week) in; it ignores valid_from (erin) and gives bob (no last name) a NULL name.
SELECT results_eq(
    $$SELECT user_id::text, username::text, full_name, role_code::text, claimed_tasks::int, completed_last_week::int,
             round(avg_task_duration_hours, 6)
      FROM flowable.v_user_workload ORDER BY user_id, role_code$$,
    $$VALUES ('alice', 'alice', 'Alice Archer', 'CLAIMS_AGENT', 1, 1, 2.000000),
             ('bob', 'bob', 'Bob', 'FRAUD_AGENT', 0, 0, NULL),
             ('carol', 'carol', 'Carol Chief', 'CLAIMS_SUPERVISOR', 0, 0, NULL)$$,
    'v_user_workload lists active users with the roles they hold now and their task figures');
RESET ROLE;
SELECT tests.cr_user('nameless');
SELECT tests.cr_grant('nameless', 'FRAUD_AGENT');
SELECT is((SELECT full_name FROM flowable.v_user_workload WHERE user_id = 'nameless'), NULL,
    'a user with neither first nor last name has a NULL full_name, not a lone space');
SELECT is((SELECT count(*)::int FROM flowable.v_user_workload WHERE user_id IN ('frank', 'erin', 'dave')), 0,
    'inactive users and grants outside their validity window are not listed');

SELECT tests.cr_definition('p_one', 1, true, 'Process one');
SELECT tests.cr_definition('p_one', 2, true, 'Process one');
SELECT tests.cr_definition('p_off', 1, false, 'Process off');
SELECT tests.cr_definition('p_idle', 1, true, 'Process idle');
SELECT tests.cr_process('r1', 'p_one', p_status => 'ACTIVE');
-- cr_process takes the latest version; put three completed runs on version 1.
INSERT INTO flowable.process_instances (process_instance_id, workflow_id, started_by, status, started_at, completed_at)
SELECT 'r-done-' || h, (SELECT workflow_id FROM flowable.workflow_definitions WHERE process_key = 'p_one' AND process_version = 1),
       'starter', 'COMPLETED', now() - make_interval(hours => h + 1), now() - interval '1 hour'
FROM generate_series(1, 3) AS h;
SELECT tests.cr_process('r-term', 'p_one', p_status => 'TERMINATED');
SELECT tests.cr_process('r-off', 'p_off', p_status => 'COMPLETED', p_started_at => now() - interval '9 hours', p_completed_at => now());

SELECT results_eq(
    $$SELECT process_key::text, process_name::text, total_instances::int, active_instances::int, completed_instances::int,
             round(avg_completion_hours, 6), round(p95_completion_hours::numeric, 6)
      FROM flowable.v_process_performance WHERE process_key <> 'test_process' ORDER BY process_key$$,
    $$VALUES ('p_idle', 'Process idle', 0, 0, 0, NULL::numeric, NULL::numeric),
             ('p_one', 'Process one', 5, 1, 3, 2.000000, 2.900000)$$,
    'v_process_performance sums the runs of every active version of a process and gives mean and p95 hours');
SELECT is((SELECT count(*)::int FROM flowable.v_process_performance WHERE process_key = 'p_off'), 0,
    'inactive definitions are not reported');

SET LOCAL ROLE pgwf_test_reporting;
SELECT lives_ok($$SELECT * FROM flowable.v_active_tasks_by_queue, flowable.v_user_workload, flowable.v_process_performance$$,
    'the reporting role reads all three views');
SELECT is((SELECT sum(open_tasks)::int FROM flowable.v_active_tasks_by_queue), 3,
    'the reporting role sees the whole figures (its reporting_read policies show it every row)');
SELECT * FROM finish();
ROLLBACK;
