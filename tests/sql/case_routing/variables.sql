-- Typed variables: set and read through functions that check the type; workflow_variables is the
-- one source of truth and process_instances.variables mirrors its process-scope rows both ways.
BEGIN;
SELECT plan(22);

SELECT tests.cr_world();
SELECT tests.cr_task('t1', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice', p_process_instance_id => 'p1');
SELECT tests.cr_task('t2', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], p_process_instance_id => 'p2');

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT lives_ok($$SELECT flowable.set_variable('p1', 'customer', 'STRING', '"ACME Ltd"')$$, 'a STRING takes a JSON string');
SELECT lives_ok($$SELECT flowable.set_variable('p1', 'amount', 'INTEGER', '1200')$$, 'an INTEGER takes a whole number');
SELECT lives_ok($$SELECT flowable.set_variable('p1', 'urgent', 'BOOLEAN', 'true')$$, 'a BOOLEAN takes true/false');
SELECT lives_ok($$SELECT flowable.set_variable('p1', 'received', 'DATE', '"2026-03-01"')$$, 'a DATE takes an ISO date');
SELECT lives_ok($$SELECT flowable.set_variable('p1', 'seen_at', 'DATE', '"2026-03-01T10:00:00Z"')$$, 'a DATE takes an ISO timestamp');
SELECT lives_ok($$SELECT flowable.set_variable('p1', 'address', 'JSON', '{"city": "Oslo"}')$$, 'a JSON takes an object');
SELECT lives_ok($$SELECT flowable.set_variable('p1', 'scan', 'BINARY', '"aGVsbG8="')$$, 'a BINARY takes base64');
SELECT lives_ok($$SELECT flowable.set_variable('p1', 'note', 'STRING', '"task only"', 't1')$$, 'a task variable is set on the held task');

SELECT throws_ok($$SELECT flowable.set_variable('p1', 'amount', 'INTEGER', '12.5')$$, 'PW422', NULL, 'a fraction is not an INTEGER');
SELECT throws_ok($$SELECT flowable.set_variable('p1', 'amount', 'INTEGER', '"12"')$$, 'PW422', NULL, 'a string is not an INTEGER');
SELECT throws_ok($$SELECT flowable.set_variable('p1', 'received', 'DATE', '"next tuesday"')$$, 'PW422', NULL, 'a DATE must parse');
SELECT throws_ok($$SELECT flowable.set_variable('p1', 'scan', 'BINARY', '"not base64!"')$$, 'PW422', NULL, 'a BINARY must be base64');
SELECT throws_ok($$SELECT flowable.set_variable('p1', 'x', 'FLOAT', '1')$$, 'PW422', NULL, 'an unknown type is refused');
SELECT throws_ok($$SELECT flowable.set_variable('p2', 'x', 'STRING', '"y"')$$, 'PW403', NULL,
    'a user holding no task of the run cannot set its variables');

SELECT results_eq(
    $$SELECT variable_name::text, variable_type::text, variable_value FROM flowable.workflow_variables
      WHERE process_instance_id = 'p1' ORDER BY variable_name$$,
    $$VALUES ('address', 'JSON', NULL), ('amount', 'INTEGER', '1200'), ('customer', 'STRING', 'ACME Ltd'),
             ('received', 'DATE', '2026-03-01'), ('scan', 'BINARY', 'aGVsbG8='), ('seen_at', 'DATE', '2026-03-01T10:00:00+00:00'),
             ('urgent', 'BOOLEAN', 'true')$$,
    'alice reads the typed process variables, each in its canonical text form');
SELECT is(flowable.get_variable('p1', 'amount'), '1200'::jsonb, 'get_variable returns the value as JSON');
SELECT is(flowable.get_variable('p1', 'note', 't1'), '"task only"'::jsonb, 'a task variable is found through its task');
SELECT is(flowable.get_variable('p1', 'note'), NULL, 'a task variable is not a process variable');

RESET ROLE;
SELECT is((SELECT variables FROM flowable.process_instances WHERE process_instance_id = 'p1'),
    '{"customer": "ACME Ltd", "amount": 1200, "urgent": true, "received": "2026-03-01", "seen_at": "2026-03-01T10:00:00+00:00",
      "address": {"city": "Oslo"}, "scan": "aGVsbG8="}'::jsonb,
    'process_instances.variables mirrors the process-scope variables');

-- The other direction: a direct write of process_instances.variables (as the engine does at start).
UPDATE flowable.process_instances SET variables = (variables - 'urgent') || '{"amount": 1300, "channel": "web", "received": "2026-04-01"}'
WHERE process_instance_id = 'p1';
SELECT results_eq(
    $$SELECT variable_name::text, variable_type::text, variable_value FROM flowable.workflow_variables
      WHERE process_instance_id = 'p1' AND variable_name IN ('amount', 'channel', 'received', 'urgent') ORDER BY 1$$,
    $$VALUES ('amount', 'INTEGER', '1300'), ('channel', 'STRING', 'web'), ('received', 'DATE', '2026-04-01')$$,
    'a direct write of process_instances.variables is imported: changed, added (typed from the JSON, DATE kept) and removed keys');
DELETE FROM flowable.workflow_variables WHERE process_instance_id = 'p1' AND variable_name = 'channel';
SELECT ok(NOT (SELECT variables ? 'channel' FROM flowable.process_instances WHERE process_instance_id = 'p1'),
    'deleting a variable row removes it from the mirror');
SELECT tests.cr_process('p3');
UPDATE flowable.process_instances SET variables = '{"initiator": "alice", "caseId": 42}' WHERE process_instance_id = 'p3';
SELECT results_eq(
    $$SELECT variable_name::text, variable_type::text FROM flowable.workflow_variables WHERE process_instance_id = 'p3' ORDER BY 1$$,
    $$VALUES ('caseId', 'INTEGER'), ('initiator', 'STRING')$$,
    'start variables written straight into a run become typed variables');

SELECT * FROM finish();
ROLLBACK;
