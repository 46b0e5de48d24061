-- RLS on flowable.workflow_tasks (task_access_policy), enabled and FORCEd, proven as the
-- pgwf_test_app login: what alice sees, what bob sees, what supervisors see, what no identity sees.
BEGIN;
SELECT plan(14);

SELECT tests.cr_world();
SELECT tests.cr_task('c-open', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
SELECT tests.cr_task('c-bob', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'bob');
SELECT tests.cr_task('f-open', 'Q_FRAUD', ARRAY['FRAUD_AGENT']);
SELECT tests.cr_task('o-open', 'Q_OTHER', NULL);
SELECT tests.cr_task('o-for-alice', 'Q_OTHER', NULL, p_candidate_users => ARRAY['alice']);
SELECT tests.cr_task('o-delegated', 'Q_OTHER', NULL, 'DELEGATED', 'bob');
UPDATE flowable.workflow_tasks SET claimed_by = 'dave' WHERE task_id = 'o-delegated';

SELECT ok((SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'flowable.workflow_tasks'::regclass),
    'row level security is enabled and forced on workflow_tasks');
SELECT policies_are('flowable', 'workflow_tasks', ARRAY['task_access_policy', 'engine_all', 'reporting_read'],
    'workflow_tasks has the spec''s task_access_policy, the owner''s engine_all and the reporting role''s reporting_read');
SELECT policy_cmd_is('flowable', 'workflow_tasks', 'task_access_policy', 'SELECT',
    'task_access_policy governs reading');

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT set_eq($$SELECT task_id::text FROM flowable.workflow_tasks$$,
    ARRAY['c-open', 'o-for-alice'],
    'alice sees the open tasks of her role''s queue and the task offered to her by name, not the one bob claimed');
SELECT tests.as_user('bob');
SELECT set_eq($$SELECT task_id::text FROM flowable.workflow_tasks$$,
    ARRAY['c-bob', 'f-open', 'o-delegated'],
    'bob sees his fraud queue and the tasks he holds in other queues');
SELECT tests.as_user('dave');
SELECT set_eq($$SELECT task_id::text FROM flowable.workflow_tasks$$,
    ARRAY['o-delegated'],
    'dave (expired role) sees only the task he owns while it is delegated');
SELECT tests.as_user('erin');
SELECT is_empty($$SELECT task_id FROM flowable.workflow_tasks$$,
    'erin sees nothing before her role''s valid_from');
SELECT tests.as_user('frank');
SELECT is_empty($$SELECT task_id FROM flowable.workflow_tasks$$,
    'frank, an inactive user, sees nothing though his grant is valid');
SELECT tests.as_user('carol');
SELECT set_eq($$SELECT task_id::text FROM flowable.workflow_tasks$$,
    ARRAY['c-open', 'c-bob', 'f-open'],
    'carol (view_all supervisor of CLAIMS) sees every queue of her department and no other');
SELECT tests.as_user('nobody-known');
SELECT is_empty($$SELECT task_id FROM flowable.workflow_tasks$$,
    'an identity that is no user sees nothing');

SELECT set_config('app.current_user_id', '', true);
SELECT lives_ok($$SELECT count(*) FROM flowable.workflow_tasks$$,
    'reading with the identity reset to empty raises no error');
SELECT is_empty($$SELECT task_id FROM flowable.workflow_tasks$$,
    'an empty identity sees no task');
RESET ROLE;
SELECT throws_ok($$SET LOCAL ROLE pgwf_test_app; UPDATE flowable.workflow_tasks SET priority = 1$$, '42501', NULL,
    'people cannot write tasks directly: only through the task service');
SELECT throws_ok($$SET LOCAL ROLE pgwf_test_app; INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by) VALUES ('c-open', 'pi-c-open', 'COMMENT', 'alice')$$,
    '42501', NULL, 'people cannot write history directly');
SELECT * FROM finish();
ROLLBACK;
