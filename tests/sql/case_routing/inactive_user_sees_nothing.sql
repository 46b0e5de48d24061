-- An inactive user sees no task: not one offered to them (candidate_users), not one they
-- hold (assignee_id), not one they delegated (claimed_by); reactivated, they see them again.
BEGIN;
SELECT plan(4);

SELECT tests.cr_queue('Q_SEEN');
SELECT tests.cr_user('gone', p_is_active => false), tests.cr_user('here');
SELECT tests.cr_task('t_offered', 'Q_SEEN', p_candidate_users => ARRAY['gone']);
SELECT tests.cr_task('t_held', 'Q_SEEN', p_candidate_users => ARRAY['here']);
UPDATE flowable.workflow_tasks SET status = 'CLAIMED', assignee_id = 'gone', claimed_by = 'gone'
WHERE task_id = 't_held';

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('gone');
SELECT is_empty($$SELECT task_id FROM flowable.workflow_tasks$$,
    'an inactive user sees neither the task offered to them nor the one they hold');
SELECT tests.as_user('here');
SELECT is_empty($$SELECT task_id::text FROM flowable.workflow_tasks$$,
    'a candidate user does not see a task someone else holds (it is no longer offered)');
RESET ROLE;

UPDATE entitlements.users SET is_active = true WHERE user_id = 'gone';
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('gone');
SELECT results_eq($$SELECT task_id::text FROM flowable.workflow_tasks ORDER BY 1$$,
    $$VALUES ('t_held'), ('t_offered')$$, 'reactivated, the user sees both tasks again');
SELECT tests.as_user('');
SELECT is_empty($$SELECT task_id FROM flowable.workflow_tasks$$, 'an empty identity still sees nothing');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
