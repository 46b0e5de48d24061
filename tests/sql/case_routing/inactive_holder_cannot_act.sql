-- A user deactivated while holding a task can no longer act on it through the task service
-- (flowable.acting_user refuses with PW403), and the task stays as it was.
BEGIN;
SELECT plan(4);

SELECT tests.cr_queue('Q_HELD');
SELECT tests.cr_user('gone'), tests.cr_user('here');
SELECT tests.cr_task('t_held', 'Q_HELD', p_candidate_users => ARRAY['gone']);
UPDATE flowable.workflow_tasks SET status = 'CLAIMED', assignee_id = 'gone', claimed_by = 'gone'
WHERE task_id = 't_held';
UPDATE entitlements.users SET is_active = false WHERE user_id = 'gone';

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('gone');
SELECT throws_ok($$SELECT flowable.complete_task('t_held', 'DONE')$$, 'PW403',
    'complete_task: user gone is not an active user', 'an inactive holder cannot complete the task');
SELECT throws_ok($$SELECT flowable.delegate_task('t_held', 'here')$$, 'PW403',
    'delegate_task: user gone is not an active user', 'an inactive holder cannot delegate the task');
SELECT throws_ok($$SELECT flowable.unclaim_task('t_held')$$, 'PW403',
    'unclaim_task: user gone is not an active user', 'an inactive holder cannot unclaim the task');
RESET ROLE;

SELECT results_eq($$SELECT status::text, assignee_id::text FROM flowable.workflow_tasks WHERE task_id = 't_held'$$,
    $$VALUES ('CLAIMED', 'gone')$$, 'the refused calls left the task as it was');

SELECT * FROM finish();
ROLLBACK;
