-- Acting on tasks needs a role valid now (valid_from <= now() < valid_until, active role, active
-- user): a user whose grants have all expired (dave) or not yet begun (erin) may neither act nor
-- be handed work, and every refusal leaves the task and its history as they were.
BEGIN;
SELECT plan(17);

SELECT tests.cr_world();
SELECT tests.cr_task('d-held', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'dave');
SELECT tests.cr_task('d-open', 'Q_CLAIMS', NULL, p_candidate_users => ARRAY['dave', 'erin']);
SELECT tests.cr_task('a-held', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice');
SELECT tests.cr_task('c-open', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
UPDATE flowable.workflow_tasks SET status = 'DELEGATED', assignee_id = 'bob', claimed_by = 'dave' WHERE task_id = 'd-held';
SELECT tests.cr_task('d-claimed', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'dave');
CREATE TEMP TABLE before_rows AS
SELECT task_id, status, assignee_id, claimed_by FROM flowable.workflow_tasks;
GRANT SELECT ON before_rows TO PUBLIC;

SET LOCAL ROLE pgwf_test_app;

SELECT tests.as_user('dave');
SELECT throws_ok($$SELECT flowable.complete_task('d-claimed', 'DONE')$$, 'PW403', NULL,
    'dave, whose only grant expired, cannot complete the task he still holds');
SELECT throws_ok($$SELECT flowable.unclaim_task('d-claimed')$$, 'PW403', NULL, 'nor give it back');
SELECT throws_ok($$SELECT flowable.claim_task('d-open')$$, 'PW403', NULL, 'nor claim a task naming him as candidate user');
SELECT is_empty($$SELECT * FROM flowable.claim_next_task('dave', '{Q_CLAIMS}')$$,
    'claim_next_task hands him nothing, not even the task naming him');
SELECT throws_ok($$SELECT flowable.add_task_comment('d-claimed', 'still here')$$, 'PW403', NULL, 'nor comment');

SELECT tests.as_user('erin');
SELECT throws_ok($$SELECT flowable.claim_task('d-open')$$, 'PW403', NULL,
    'erin, whose grant starts tomorrow, cannot claim a task naming her either');

SELECT tests.as_user('alice');
SELECT throws_ok($$SELECT flowable.delegate_task('a-held', 'dave')$$, 'PW404', NULL,
    'a task cannot be delegated to a user without a valid role');
SELECT tests.as_user('carol');
SELECT throws_ok($$SELECT flowable.reassign_task('c-open', 'dave')$$, 'PW404', NULL,
    'nor reassigned to one');
SELECT tests.as_user('bob');
SELECT throws_ok($$SELECT flowable.resolve_task('d-held', 'checked')$$, 'PW409', NULL,
    'a delegate cannot hand a task back to an owner who may no longer work: a supervisor reassigns it');

RESET ROLE;
SELECT set_config('app.current_user_id', '', true);
SELECT throws_ok($$SELECT flowable.create_task('pi-c-open', 'step', 'Step', 'Q_CLAIMS', p_assignee_id => 'dave')$$,
    'PW404', NULL, 'the engine cannot create a task assigned to a user without a valid role');
SELECT throws_ok($$SELECT flowable.create_task('pi-c-open', 'step', 'Step', 'Q_CLAIMS', p_assignee_id => 'frank')$$,
    'PW404', NULL, 'nor to an inactive user');

SELECT is_empty(
    $$SELECT task_id, status, assignee_id, claimed_by FROM flowable.workflow_tasks
      EXCEPT SELECT * FROM before_rows$$,
    'every refusal left the tasks as they were');
SELECT is((SELECT count(*)::int FROM flowable.task_history), 0, 'and wrote no history');

-- once dave's grant is renewed he works as before
UPDATE entitlements.user_workflow_roles SET valid_until = now() + interval '30 days' WHERE user_id = 'dave';
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('dave');
SELECT results_eq($$SELECT status::text FROM flowable.complete_task('d-claimed', 'DONE')$$,
    $$VALUES ('COMPLETED')$$, 'with a new grant dave completes his task');
SELECT tests.as_user('bob');
SELECT results_eq($$SELECT status::text, assignee_id::text FROM flowable.resolve_task('d-held', 'checked')$$,
    $$VALUES ('CLAIMED', 'dave')$$, 'and bob hands the delegated task back to him');
SELECT tests.as_user('alice');
SELECT results_eq($$SELECT status::text, assignee_id::text FROM flowable.delegate_task('a-held', 'dave')$$,
    $$VALUES ('DELEGATED', 'dave')$$, 'and alice may delegate to him');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM flowable.task_history), 3, 'three actions, three history rows');

SELECT * FROM finish();
ROLLBACK;
