-- workflow_variables and process_instances.variables cannot be made to disagree: no session
-- setting turns the copy off, a process_instances.variables that is not a JSON object is
-- refused (PW422), and a process variable moved to another run leaves the old run's JSON.
BEGIN;
SELECT plan(14);

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

-- a DATE or BINARY written straight into the JSON column is checked like set_variable's
SELECT flowable.write_variable('p9', NULL, 'd', 'DATE', '"2026-03-01"');
SELECT flowable.write_variable('p9', NULL, 'b', 'BINARY', '"aGVsbG8="');
SELECT throws_ok($$UPDATE flowable.process_instances SET variables = variables || '{"d": "garbage"}' WHERE process_instance_id = 'p9'$$,
    'PW422', NULL, 'a DATE variable written as a string that is no date is refused');
SELECT throws_ok($$UPDATE flowable.process_instances SET variables = variables || '{"b": "not base64!"}' WHERE process_instance_id = 'p9'$$,
    'PW422', NULL, 'so is a BINARY one that is no base64');
UPDATE flowable.process_instances SET variables = variables || '{"d": "2026-04-01T12:00:00Z"}' WHERE process_instance_id = 'p9';
SELECT results_eq(
    $$SELECT w.variable_type::text, w.variable_value, p.variables -> 'd'
      FROM flowable.workflow_variables w JOIN flowable.process_instances p USING (process_instance_id)
      WHERE w.process_instance_id = 'p9' AND w.variable_name = 'd'$$,
    $$VALUES ('DATE', '2026-04-01T12:00:00+00:00', '"2026-04-01T12:00:00+00:00"'::jsonb)$$,
    'a valid one keeps its type and both copies hold its canonical form');

-- get_variable finds a task variable only through a task of the run it is asked about
SELECT tests.cr_task('t9', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice', p_process_instance_id => 'p9');
SELECT flowable.write_variable(NULL, 't9', 'note', 'STRING', '"t9 only"');
SELECT is(flowable.get_variable('p9', 'note', 't9'), '"t9 only"'::jsonb, 'a task variable is found through its own run');
SELECT is(flowable.get_variable('p1', 'note', 't9'), NULL, 'not through another run');

SELECT is(flowable.get_variable(NULL, 'note', 't9'), '"t9 only"'::jsonb, 'or through the task alone');

-- renaming along a chain in one statement (y -> z, x -> y) keeps both rows and their types
SELECT tests.cr_process('p5');
SELECT flowable.write_variable('p5', NULL, 'y', 'STRING', '"why"');
SELECT flowable.write_variable('p5', NULL, 'x', 'DATE', '"2026-03-01"');
CREATE TEMP TABLE ids AS SELECT variable_id, variable_name FROM flowable.workflow_variables WHERE process_instance_id = 'p5';
UPDATE flowable.workflow_variables SET variable_name = CASE variable_name WHEN 'y' THEN 'z' WHEN 'x' THEN 'y' END
WHERE process_instance_id = 'p5' AND variable_name IN ('x', 'y');
SELECT results_eq(
    $$SELECT w.variable_name::text, w.variable_type::text, w.variable_value, i.variable_name::text
      FROM flowable.workflow_variables w JOIN ids i USING (variable_id) WHERE w.process_instance_id = 'p5' ORDER BY 1$$,
    $$VALUES ('y', 'DATE', '2026-03-01', 'x'), ('z', 'STRING', 'why', 'y')$$,
    'both renamed rows survive with their ids and types');
SELECT is((SELECT variables FROM flowable.process_instances WHERE process_instance_id = 'p5'),
    '{"y": "2026-03-01", "z": "why"}'::jsonb, 'and the JSON copy follows');

SELECT * FROM finish();
ROLLBACK;
