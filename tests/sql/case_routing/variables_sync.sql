-- workflow_variables and process_instances.variables cannot be made to disagree: no session
-- setting turns the copy off, a process_instances.variables that is not a JSON object is
-- refused (PW422), and a process variable moved to another run leaves the old run's JSON.
BEGIN;
SELECT plan(6);

SELECT tests.cr_world();
SELECT tests.cr_task('t1', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice', p_process_instance_id => 'p1');
SELECT tests.cr_process('p9');

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT set_config('pgwf.syncing_variables', 'on', true);
SELECT lives_ok($$SELECT flowable.set_variable('p1', 'amount', 'INTEGER', '5')$$, 'alice sets a variable');
RESET ROLE;
SELECT is((SELECT variables FROM flowable.process_instances WHERE process_instance_id = 'p1'), '{"amount": 5}'::jsonb,
    'it is copied into process_instances.variables whatever session settings say');

SELECT throws_ok($$UPDATE flowable.process_instances SET variables = '[1, 2]' WHERE process_instance_id = 'p1'$$,
    'PW422', NULL, 'variables that are not a JSON object are refused');
SELECT is((SELECT count(*)::int FROM flowable.workflow_variables WHERE process_instance_id = 'p1'), 1,
    'and the typed rows are as they were');

UPDATE flowable.workflow_variables SET process_instance_id = 'p9' WHERE process_instance_id = 'p1' AND variable_name = 'amount';
SELECT results_eq(
    $$SELECT process_instance_id::text, variables FROM flowable.process_instances WHERE process_instance_id IN ('p1', 'p9') ORDER BY 1$$,
    $$VALUES ('p1', '{}'::jsonb), ('p9', '{"amount": 5}'::jsonb)$$,
    'a variable moved to another run leaves the old run''s JSON and appears in the new one');
SELECT results_eq(
    $$SELECT variable_type::text, variable_value FROM flowable.workflow_variables WHERE process_instance_id = 'p9'$$,
    $$VALUES ('INTEGER', '5')$$, 'its typed row keeps its type through the round trip');

SELECT * FROM finish();
ROLLBACK;
