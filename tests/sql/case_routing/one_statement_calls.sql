-- The one-round-trip calling pattern of docs/task-service.md: the identity set in the same
-- statement as the call reaches the function, claim and complete each work as one statement,
-- and the same statements without an identity are refused.
BEGIN;
SELECT plan(6);

SELECT tests.cr_world();
SELECT tests.cr_task('t-one', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], p_priority => 90);

SET LOCAL ROLE pgwf_test_app;
SELECT set_config('app.current_user_id', '', true);

SELECT results_eq(
    $$SELECT c.task_id::text FROM pg_catalog.set_config('app.current_user_id', 'alice', true) AS me,
                                  flowable.claim_next_task(me, '{Q_CLAIMS}') AS c$$,
    $$VALUES ('t-one')$$,
    'set_config in FROM, claim_next_task(me, ...) beside it: the claim acts as the identity just set');
SELECT is((SELECT assignee_id::text FROM flowable.workflow_tasks WHERE task_id = 't-one'), 'alice',
    'the task is held by that identity');

SELECT set_config('app.current_user_id', '', true);
SELECT results_eq(
    $$SELECT (flowable.complete_task('t-one', 'DONE')).status::text
      FROM pg_catalog.set_config('app.current_user_id', 'alice', true) AS me$$,
    $$VALUES ('COMPLETED')$$,
    'complete_task in the select list runs after the set_config of its FROM row');
SELECT results_eq(
    $$SELECT action_type::text, action_by::text FROM flowable.task_history WHERE task_id = 't-one' ORDER BY history_id$$,
    $$VALUES ('CLAIM', 'alice'), ('COMPLETE', 'alice')$$,
    'each statement wrote its one history row as the identity');

SELECT set_config('app.current_user_id', '', true);
SELECT throws_ok(
    $$SELECT * FROM flowable.claim_next_task('alice', '{Q_CLAIMS}')$$,
    'PW401', 'claim_next_task: no identity: app.current_user_id is not set',
    'the same claim without the identity is refused');
SELECT throws_ok(
    $$SELECT (flowable.complete_task('t-one', 'DONE')).status$$,
    'PW401', 'complete_task: no identity: app.current_user_id is not set',
    'the same completion without the identity is refused');

SELECT * FROM finish();
ROLLBACK;
