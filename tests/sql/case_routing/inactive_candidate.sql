-- An inactive user gets no work: naming them in candidate_users lets them claim nothing,
-- neither one task (claim_task, through flowable.may_claim) nor the next (claim_next_task).
-- Both users hold a valid role (of another queue), so only activity tells them apart.
BEGIN;
SELECT plan(8);

SELECT tests.cr_queue('Q_NAMED');
SELECT tests.cr_user('gone', p_is_active => false), tests.cr_user('here');
SELECT tests.cr_queue('Q_ELSEWHERE');
SELECT tests.cr_role('ELSEWHERE_AGENT', 'Q_ELSEWHERE');
SELECT tests.cr_grant('gone', 'ELSEWHERE_AGENT'), tests.cr_grant('here', 'ELSEWHERE_AGENT');
SELECT tests.cr_task('t_both', 'Q_NAMED', p_priority => 90, p_candidate_users => ARRAY['gone', 'here']);
SELECT tests.cr_task('t_gone', 'Q_NAMED', p_priority => 10, p_candidate_users => ARRAY['gone']);

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('gone');
SELECT is_empty($$SELECT * FROM flowable.claim_next_task('gone', ARRAY['Q_NAMED'])$$,
    'claim_next_task gives an inactive candidate user no task');
SELECT throws_ok($$SELECT flowable.claim_task('t_gone')$$, 'PW403', 'claim_task: user gone is not an active user',
    'claim_task refuses an inactive candidate user');
SELECT throws_ok($$SELECT flowable.claim_task('t_both')$$, 'PW403', NULL,
    'claim_task refuses an inactive user named beside an active one');
RESET ROLE;
SELECT results_eq($$SELECT task_id::text, status::text, assignee_id::text FROM flowable.workflow_tasks
                    WHERE queue_name = 'Q_NAMED' ORDER BY task_id$$,
    $$VALUES ('t_both', 'OPEN', NULL::text), ('t_gone', 'OPEN', NULL)$$, 'the inactive user''s attempts left every task open');

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('here');
SELECT results_eq($$SELECT task_id::text FROM flowable.claim_next_task('here', ARRAY['Q_NAMED'])$$,
    $$VALUES ('t_both')$$, 'an active candidate user claims the task naming them');
SELECT throws_ok($$SELECT flowable.claim_task('t_gone')$$, 'PW404', NULL, 'a task naming only someone else is not found for another user');
RESET ROLE;

-- the same user, active again, gets the work
UPDATE entitlements.users SET is_active = true WHERE user_id = 'gone';
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('gone');
SELECT results_eq($$SELECT task_id::text FROM flowable.claim_next_task('gone', ARRAY['Q_NAMED'])$$,
    $$VALUES ('t_gone')$$, 'a reactivated candidate user claims the next task naming them');
SELECT results_eq($$SELECT status::text, assignee_id::text FROM flowable.workflow_tasks WHERE task_id = 't_gone'$$,
    $$VALUES ('CLAIMED', 'gone')$$, 'the claim is recorded for the reactivated user');

SELECT * FROM finish();
ROLLBACK;
