-- The type checks at their edges: a DATE is ISO 8601 only and its canonical text does not depend
-- on the session's TimeZone or DateStyle; an INTEGER is any bigint, and nothing beyond (PW422).
BEGIN;
SELECT plan(13);

SELECT tests.cr_world();
SELECT tests.cr_task('t1', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice', p_process_instance_id => 'p1');
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');

SELECT throws_ok($$SELECT flowable.set_variable('p1', 'd', 'DATE', '"infinity"')$$, 'PW422', NULL, '"infinity" is no DATE');
SELECT throws_ok($$SELECT flowable.set_variable('p1', 'd', 'DATE', '"tomorrow"')$$, 'PW422', NULL, 'nor is "tomorrow"');
SELECT throws_ok($$SELECT flowable.set_variable('p1', 'd', 'DATE', '"1/2/2024"')$$, 'PW422', NULL,
    'nor a day/month order that DateStyle would decide');
SELECT throws_ok($$SELECT flowable.set_variable('p1', 'd', 'DATE', '"2024-02-30"')$$, 'PW422', NULL, 'nor a day that does not exist');
SET LOCAL TimeZone = 'Asia/Tokyo';
SET LOCAL DateStyle = 'SQL, DMY';
SELECT flowable.set_variable('p1', 'seen_at', 'DATE', '"2026-03-01T10:00:00Z"');
SELECT flowable.set_variable('p1', 'local', 'DATE', '"2026-03-01 10:00"');
SELECT results_eq(
    $$SELECT variable_name::text, variable_value FROM flowable.workflow_variables
      WHERE variable_name IN ('seen_at', 'local') ORDER BY 1$$,
    $$VALUES ('local', '2026-03-01T10:00:00+00:00'), ('seen_at', '2026-03-01T10:00:00+00:00')$$,
    'a timestamp is stored in UTC whatever the session''s TimeZone and DateStyle (no offset means UTC)');

SELECT results_eq(
    $$SELECT flowable.set_variable('p1', 'e' || n, 'DATE', to_jsonb(v)) IS NOT NULL
      FROM (VALUES (1, '2026-03-01T12:00:00.1234567Z'), (2, '2026-03-01t12:00:00z'), (3, '20260301T120000Z'),
                   (4, '2026-03-01T12:00:00+05:30')) AS x(n, v)$$,
    $$VALUES (true), (true), (true), (true)$$,
    'ISO 8601 with any fraction, lowercase t and z, the basic format and +hh:mm offsets are DATEs');
SELECT flowable.set_variable('p1', 'late', 'DATE', '"9999-12-31T23:59:59-05:00"');
SELECT is((SELECT variable_value FROM flowable.workflow_variables WHERE variable_name = 'late'), '10000-01-01T04:59:59+00:00',
    'a late timestamp west of UTC is stored in UTC, past year 9999');
SELECT lives_ok($$SELECT flowable.set_variable('p1', 'late2', 'DATE',
                    (SELECT variable_json FROM flowable.workflow_variables WHERE variable_name = 'late'))$$,
    'and that stored form is accepted back');
SELECT lives_ok($$SELECT flowable.set_variable('p1', 'i', 'INTEGER', '-9223372036854775808')$$, 'the smallest bigint is an INTEGER');
SELECT lives_ok($$SELECT flowable.set_variable('p1', 'j', 'INTEGER', '9223372036854775807')$$, 'so is the largest');
SELECT throws_ok($$SELECT flowable.set_variable('p1', 'k', 'INTEGER', '9223372036854775808')$$, 'PW422', NULL,
    'one more is refused with PW422');
SELECT throws_ok($$SELECT flowable.set_variable('p1', 'k', 'INTEGER', '9999999999999999999')$$, 'PW422', NULL,
    'as is a 19-digit number beyond it');
SELECT results_eq($$SELECT variable_value FROM flowable.workflow_variables WHERE variable_name IN ('i', 'j') ORDER BY 1$$,
    $$VALUES ('-9223372036854775808'), ('9223372036854775807')$$, 'both limits are stored exactly');

SELECT * FROM finish();
ROLLBACK;
