-- reassign_task names the queue that does not exist (PW404) before asking whether the user
-- supervises it; neither reassign_task nor delegate_task hands work to anyone in an inactive
-- queue (PW409); resolve_task takes form data only as a JSON object (PW400). Refusals change
-- nothing.
BEGIN;
SELECT plan(10);

SELECT tests.cr_world();
SELECT tests.cr_task('ra1', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
SELECT tests.cr_task('ra2', 'Q_FRAUD', ARRAY['FRAUD_AGENT']);
SELECT tests.cr_task('ra3', 'Q_FRAUD', ARRAY['FRAUD_AGENT'], 'CLAIMED', 'bob');
SELECT tests.cr_task('rs1', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice');
UPDATE flowable.workflow_tasks SET status = 'DELEGATED', assignee_id = 'bob', claimed_by = 'alice',
       form_data = '{"amount": 100}' WHERE task_id = 'rs1';
UPDATE flowable.workflow_queues SET is_active = false WHERE queue_name = 'Q_FRAUD';

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('carol');
SELECT throws_ok($$SELECT flowable.reassign_task('ra1', NULL, 'Q_NOPE')$$, 'PW404',
    'reassign_task: queue Q_NOPE does not exist', 'a queue that does not exist is not found, for a supervisor');
SELECT tests.as_user('alice');
SELECT throws_ok($$SELECT flowable.reassign_task('ra1', NULL, 'Q_NOPE')$$, 'PW404',
    'reassign_task: queue Q_NOPE does not exist', 'and for anyone else');
SELECT tests.as_user('carol');
SELECT throws_ok($$SELECT flowable.reassign_task('ra2', 'bob')$$, 'PW409', NULL,
    'a task of an inactive queue is not handed to anyone');
SELECT tests.as_user('bob');
SELECT throws_ok($$SELECT flowable.reassign_task('ra2', 'alice')$$, 'PW403', NULL,
    'a fraud agent who is no supervisor is told so, whatever the state of the queue');
SELECT throws_ok($$SELECT flowable.delegate_task('ra3', 'alice')$$, 'PW409', NULL,
    'the holder of a task in an inactive queue cannot delegate it');
SELECT tests.as_user('carol');
SELECT results_eq($$SELECT status::text, assignee_id, queue_name::text FROM flowable.reassign_task('ra3', NULL, 'Q_FRAUD')$$,
    $$VALUES ('OPEN', NULL::varchar, 'Q_FRAUD')$$, 'a task may be taken off its holder in an inactive queue');
SELECT results_eq($$SELECT status::text, queue_name::text FROM flowable.reassign_task('ra2', NULL, 'Q_CLAIMS')$$,
    $$VALUES ('OPEN', 'Q_CLAIMS')$$, 'but may be moved out to an active queue');

SELECT tests.as_user('bob');
SELECT throws_ok($$SELECT flowable.resolve_task('rs1', 'checked', '[1, 2]')$$, 'PW400', NULL,
    'resolve_task refuses form data that is not a JSON object');
SELECT results_eq($$SELECT status::text, assignee_id::text, form_data FROM flowable.resolve_task('rs1', 'checked', '{"ok": true}')$$,
    $$VALUES ('CLAIMED', 'alice', '{"amount": 100, "ok": true}'::jsonb)$$, 'an object is merged and the task goes back to alice');

RESET ROLE;
SELECT results_eq($$SELECT task_id::text, action_type::text FROM flowable.task_history ORDER BY history_id$$,
    $$VALUES ('ra3', 'REASSIGN'), ('ra2', 'REASSIGN'), ('rs1', 'UPDATE')$$, 'only the three successful actions wrote history');

SELECT * FROM finish();
ROLLBACK;
