-- Who sees a task is who may act on it: a holder of one of its candidate groups sees it (and
-- claims it by id) in any queue, as claim_next_task would hand it to them; a role with
-- "supervise" sees its department's queues, where it may reassign and cancel; a deactivated
-- user sees neither the runs they started nor those runs' variables.
BEGIN;
SELECT plan(9);

SELECT tests.cr_world();
SELECT tests.cr_role('CLAIMS_LEAD', NULL, 'CLAIMS', '{"supervise": true}');
SELECT tests.cr_user('sam', 'CLAIMS');
SELECT tests.cr_grant('sam', 'CLAIMS_LEAD');
SELECT tests.cr_task('g1', 'Q_OTHER', ARRAY['CLAIMS_AGENT']);
SELECT tests.cr_task('g2', 'Q_OTHER', ARRAY['FRAUD_AGENT']);
SELECT tests.cr_task('sv1', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
SELECT tests.cr_task('sv2', 'Q_FRAUD', ARRAY['FRAUD_AGENT']);
SELECT tests.cr_task('sv3', 'Q_OTHER', ARRAY['OTHER_AGENT']);
SELECT tests.cr_process('pi-frank', p_started_by => 'frank');
UPDATE flowable.process_instances SET variables = '{"secret": "s3"}' WHERE process_instance_id = 'pi-frank';
SELECT tests.cr_process('pi-alice', p_started_by => 'alice');

SET LOCAL ROLE pgwf_test_app;

SELECT tests.as_user('alice');
SELECT results_eq($$SELECT task_id::text FROM flowable.workflow_tasks WHERE queue_name = 'Q_OTHER' ORDER BY 1$$,
    $$VALUES ('g1')$$, 'alice sees the task of another queue offered to her group, not the one offered to fraud agents');
SELECT results_eq($$SELECT status::text, assignee_id::text FROM flowable.claim_task('g1')$$,
    $$VALUES ('CLAIMED', 'alice')$$, 'and claims it by its id');
SELECT throws_ok($$SELECT flowable.claim_task('g2')$$, 'PW404', NULL, 'a task offered to another group stays hidden');

SELECT tests.as_user('sam');
SELECT results_eq($$SELECT task_id::text FROM flowable.workflow_tasks WHERE task_id LIKE 'sv%' ORDER BY 1$$,
    $$VALUES ('sv1'), ('sv2')$$, 'a supervise role sees the queues of its department, not others');
SELECT results_eq($$SELECT status::text, assignee_id::text FROM flowable.reassign_task('sv1', 'alice')$$,
    $$VALUES ('CLAIMED', 'alice')$$, 'and reassigns there');
SELECT results_eq($$SELECT status::text FROM flowable.cancel_task('sv2', 'duplicate')$$,
    $$VALUES ('CANCELLED')$$, 'and cancels there');

SELECT tests.as_user('frank');
SELECT is_empty($$SELECT process_instance_id FROM flowable.process_instances$$,
    'a deactivated user does not see the run they started');
SELECT is_empty($$SELECT variable_name FROM flowable.workflow_variables$$, 'nor its variables');
SELECT tests.as_user('alice');
SELECT results_eq($$SELECT process_instance_id::text FROM flowable.process_instances WHERE started_by = 'alice'$$,
    $$VALUES ('pi-alice')$$, 'an active starter still sees her run');

SELECT * FROM finish();
ROLLBACK;
