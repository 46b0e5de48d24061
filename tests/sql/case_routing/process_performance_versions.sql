-- flowable.v_process_performance counts the runs of every version of a process: after a
-- redeploy, runs still going on the older version stay in the figures (the spec's view, which
-- joins the active version only, drops them). The name is the newest version's.
BEGIN;
SELECT plan(3);

SELECT tests.cr_definition('p_claim', 1, true, 'Claim intake');
SELECT tests.cr_process('v1-active', 'p_claim', p_status => 'ACTIVE');
SELECT tests.cr_process('v1-done', 'p_claim', p_status => 'COMPLETED',
                        p_started_at => now() - interval '3 hours', p_completed_at => now() - interval '1 hour');
-- Redeploy: version 2 becomes the active one, version 1 is retired while its runs go on.
UPDATE flowable.workflow_definitions SET is_active = false WHERE process_key = 'p_claim';
SELECT tests.cr_definition('p_claim', 2, true, 'Claim intake (2026)');
SELECT tests.cr_process('v2-active', 'p_claim', p_status => 'ACTIVE');
SELECT tests.cr_definition('p_retired', 1, false, 'Retired');
SELECT tests.cr_process('r-1', 'p_retired', p_status => 'ACTIVE');

SELECT results_eq(
    $$SELECT process_key::text, process_name::text, total_instances::int, active_instances::int, completed_instances::int,
             round(avg_completion_hours, 6)
      FROM flowable.v_process_performance WHERE process_key = 'p_claim'$$,
    $$VALUES ('p_claim', 'Claim intake (2026)', 3, 2, 1, 2.000000)$$,
    'runs of the retired version 1 still count after version 2 is deployed');
SELECT is((SELECT count(*)::int FROM flowable.v_process_performance WHERE process_key = 'p_claim'), 1,
    'one row per process, however many versions it has');
SELECT is((SELECT count(*)::int FROM flowable.v_process_performance WHERE process_key = 'p_retired'), 0,
    'a process with no active version is not reported');

SELECT * FROM finish();
ROLLBACK;
