-- flowable.claim_next_task: the spec's signature and result, acting as the current identity,
-- honouring role validity windows, and the defects of the spec's SQL fixed.
BEGIN;
SELECT plan(20);

SELECT tests.cr_world();
SELECT tests.cr_task('t-low', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], p_priority => 10, p_created_at => now() - interval '3 hours');
SELECT tests.cr_task('t-high-new', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], p_priority => 90, p_created_at => now() - interval '1 hour');
SELECT tests.cr_task('t-high-old', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], p_priority => 90, p_created_at => now() - interval '2 hours');
SELECT tests.cr_task('t-fraud', 'Q_FRAUD', ARRAY['FRAUD_AGENT'], p_priority => 100);
SELECT tests.cr_task('t-held', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'bob', 100);

SELECT has_function('flowable', 'claim_next_task', ARRAY['character varying', 'text[]'],
    'claim_next_task(p_user_id, p_queue_names) exists with the spec''s signature');
SELECT function_returns('flowable', 'claim_next_task', ARRAY['character varying', 'text[]'], 'setof record',
    'claim_next_task returns a set of rows');
SELECT is(pg_get_function_result('flowable.claim_next_task(varchar, text[])'::regprocedure),
    'TABLE(task_id character varying, task_name character varying, priority integer)',
    'claim_next_task returns (task_id, task_name, priority) as the spec says');

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');

-- The spec's version fails here with "column reference task_id is ambiguous".
SELECT results_eq(
    $$SELECT task_id::text, task_name::text, priority FROM flowable.claim_next_task('alice', ARRAY['Q_CLAIMS', 'Q_FRAUD'])$$,
    $$VALUES ('t-high-old', 'Task t-high-old', 90)$$,
    'the first claim returns the highest-priority task of the user''s groups, oldest first among equals');
SELECT results_eq(
    $$SELECT task_id::text FROM flowable.claim_next_task('alice', ARRAY['Q_CLAIMS', 'Q_FRAUD'])$$,
    $$VALUES ('t-high-new')$$,
    'the next claim returns the next task in order');
SELECT results_eq(
    $$SELECT status::text, assignee_id::text, claimed_by::text, claimed_at IS NOT NULL FROM flowable.workflow_tasks WHERE task_id = 't-high-old'$$,
    $$VALUES ('CLAIMED', 'alice', 'alice', true)$$,
    'a claimed task is CLAIMED, assigned to and claimed by the user, with claimed_at set');
SELECT results_eq(
    $$SELECT action_type::text, action_by::text, old_status::text, new_status::text, old_assignee::text, new_assignee::text
      FROM flowable.task_history WHERE task_id = 't-high-old'$$,
    $$VALUES ('CLAIM', 'alice', 'OPEN', 'CLAIMED', NULL, 'alice')$$,
    'a claim writes exactly one CLAIM history row with the true old and new status and assignee');
SELECT results_eq(
    $$SELECT task_id::text FROM flowable.claim_next_task('alice', ARRAY['Q_CLAIMS', 'Q_FRAUD'])$$,
    $$VALUES ('t-low')$$,
    'tasks of groups the user lacks (t-fraud) and tasks already held (t-held) are skipped');
SELECT is_empty(
    $$SELECT * FROM flowable.claim_next_task('alice', ARRAY['Q_CLAIMS', 'Q_FRAUD'])$$,
    'when nothing is claimable claim_next_task returns no row');

SELECT throws_ok(
    $$SELECT * FROM flowable.claim_next_task('bob', ARRAY['Q_FRAUD'])$$,
    'PW403', NULL, 'a user cannot claim on behalf of another user');

SELECT tests.as_user('bob');
SELECT is((SELECT status::text FROM flowable.workflow_tasks WHERE task_id = 't-fraud'), 'OPEN',
    'the refused claim changed nothing');
SELECT throws_ok(
    $$SELECT * FROM flowable.claim_next_task('bob', ARRAY[]::text[])$$,
    'PW400', NULL, 'an empty queue list is refused');
SELECT results_eq(
    $$SELECT task_id::text FROM flowable.claim_next_task('bob', ARRAY['Q_FRAUD'])$$,
    $$VALUES ('t-fraud')$$,
    'bob claims the fraud task through his FRAUD_AGENT role');

SELECT set_config('app.current_user_id', '', true);
SELECT throws_ok(
    $$SELECT * FROM flowable.claim_next_task('bob', ARRAY['Q_FRAUD'])$$,
    'PW401', NULL, 'with the identity reset to empty, claiming is refused as unauthenticated');

RESET ROLE;
SELECT tests.cr_task('t-window', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], p_priority => 70);
SELECT tests.cr_task('t-for-erin', 'Q_CLAIMS', NULL, p_candidate_users => ARRAY['erin']);
SET LOCAL ROLE pgwf_test_app;

SELECT tests.as_user('erin');
-- The spec checks only valid_until, so it hands erin's future role work today.
SELECT is_empty(
    $$SELECT task_id::text FROM flowable.claim_next_task('erin', ARRAY['Q_CLAIMS'])$$,
    'a role whose valid_from is in the future grants nothing, not even the task naming the user as candidate');
SELECT tests.as_user('dave');
SELECT is_empty($$SELECT * FROM flowable.claim_next_task('dave', ARRAY['Q_CLAIMS'])$$,
    'a role whose valid_until has passed grants nothing');
SELECT tests.as_user('frank');
SELECT is_empty($$SELECT * FROM flowable.claim_next_task('frank', ARRAY['Q_CLAIMS'])$$,
    'an inactive user gets no work even with a valid role');

RESET ROLE;
UPDATE flowable.workflow_queues SET is_active = false WHERE queue_name = 'Q_CLAIMS';
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT is_empty($$SELECT * FROM flowable.claim_next_task('alice', ARRAY['Q_CLAIMS'])$$,
    'an inactive queue hands out no work');

RESET ROLE;
UPDATE flowable.workflow_queues SET is_active = true WHERE queue_name = 'Q_CLAIMS';
UPDATE flowable.workflow_tasks SET status = 'ESCALATED', escalation_level = 1 WHERE task_id = 't-window';
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT results_eq(
    $$SELECT task_id::text FROM flowable.claim_next_task('alice', ARRAY['Q_CLAIMS'])$$,
    $$VALUES ('t-window')$$,
    'an escalated unassigned task stays claimable');
SELECT results_eq(
    $$SELECT old_status::text, new_status::text FROM flowable.task_history WHERE task_id = 't-window'$$,
    $$VALUES ('ESCALATED', 'CLAIMED')$$,
    'claiming an escalated task records ESCALATED as the old status');

SELECT * FROM finish();
ROLLBACK;
