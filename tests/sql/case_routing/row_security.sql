-- RLS FORCEd on task_history, process_instances, workflow_variables and case_workflow_mapping:
-- what alice sees, what bob sees, what the CLAIMS supervisor sees (view_all), as pgwf_test_app.
BEGIN;
SELECT plan(20);

SELECT tests.cr_world();
SELECT tests.cr_process('p-claims', p_started_by => 'starter');
SELECT tests.cr_process('p-fraud', p_started_by => 'starter');
SELECT tests.cr_process('p-bob', p_started_by => 'bob');
SELECT tests.cr_process('p-other', p_started_by => 'starter');
SELECT tests.cr_task('tc', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], p_process_instance_id => 'p-claims');
SELECT tests.cr_task('tf', 'Q_FRAUD', ARRAY['FRAUD_AGENT'], p_process_instance_id => 'p-fraud');
SELECT tests.cr_task('to', 'Q_OTHER', NULL, p_process_instance_id => 'p-other');
INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by)
SELECT task_id, process_instance_id, 'CREATE', 'SYSTEM' FROM flowable.workflow_tasks;
SELECT flowable.write_variable(p, NULL, 'v', 'STRING', '"x"') FROM unnest(ARRAY['p-claims', 'p-fraud', 'p-bob', 'p-other']) AS p;
SELECT flowable.write_variable(NULL, t, 'tv', 'STRING', '"y"') FROM unnest(ARRAY['tc', 'tf', 'to']) AS t;
INSERT INTO onecms.case_workflow_mapping (case_id, process_instance_id, workflow_type, initiated_by)
SELECT row_number() OVER (ORDER BY p), p, 'test_process', 'starter' FROM unnest(ARRAY['p-claims', 'p-fraud', 'p-bob', 'p-other']) AS p;

SELECT ok((SELECT bool_and(relrowsecurity AND relforcerowsecurity) FROM pg_class
           WHERE oid IN ('flowable.task_history'::regclass, 'flowable.process_instances'::regclass,
                         'flowable.workflow_variables'::regclass, 'onecms.case_workflow_mapping'::regclass)),
    'RLS is enabled and forced on task_history, process_instances, workflow_variables and case_workflow_mapping');
SELECT policies_are('flowable', 'task_history', ARRAY['task_history_access_policy', 'engine_all'], 'task_history policies');
SELECT policies_are('flowable', 'process_instances', ARRAY['process_access_policy', 'engine_all', 'reporting_read'], 'process_instances policies');
SELECT policies_are('flowable', 'workflow_variables', ARRAY['variable_access_policy', 'engine_all'], 'workflow_variables policies');
SELECT policies_are('onecms', 'case_workflow_mapping', ARRAY['case_mapping_access_policy', 'engine_all'], 'case_workflow_mapping policies');

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT set_eq($$SELECT task_id::text FROM flowable.task_history$$, ARRAY['tc'], 'alice sees the history of the claims task only');
SELECT set_eq($$SELECT process_instance_id::text FROM flowable.process_instances$$, ARRAY['p-claims'], 'alice sees the run of her queue''s task');
SELECT set_eq($$SELECT COALESCE(task_id, process_instance_id)::text FROM flowable.workflow_variables$$, ARRAY['p-claims', 'tc'],
    'alice sees the variables of that run and task');
SELECT set_eq($$SELECT process_instance_id::text FROM onecms.case_workflow_mapping$$, ARRAY['p-claims'], 'alice sees that run''s case');

SELECT tests.as_user('bob');
SELECT set_eq($$SELECT task_id::text FROM flowable.task_history$$, ARRAY['tf'], 'bob sees the history of the fraud task only');
SELECT set_eq($$SELECT process_instance_id::text FROM flowable.process_instances$$, ARRAY['p-fraud', 'p-bob'],
    'bob sees the fraud run and the run he started');
SELECT set_eq($$SELECT COALESCE(task_id, process_instance_id)::text FROM flowable.workflow_variables$$, ARRAY['p-fraud', 'tf', 'p-bob'],
    'bob sees the variables of those runs and of his queue''s task');
SELECT set_eq($$SELECT process_instance_id::text FROM onecms.case_workflow_mapping$$, ARRAY['p-fraud', 'p-bob'], 'bob sees those runs'' cases');

SELECT tests.as_user('carol');
SELECT set_eq($$SELECT task_id::text FROM flowable.task_history$$, ARRAY['tc', 'tf'],
    'the CLAIMS supervisor (view_all) sees the history of every queue of her department');
SELECT set_eq($$SELECT process_instance_id::text FROM flowable.process_instances$$, ARRAY['p-claims', 'p-fraud'],
    'and the runs with tasks in those queues, none of another department');
SELECT set_eq($$SELECT COALESCE(task_id, process_instance_id)::text FROM flowable.workflow_variables$$, ARRAY['p-claims', 'tc', 'p-fraud', 'tf'],
    'and their variables');

SELECT tests.as_user('dave');
SELECT is_empty($$SELECT 1 FROM flowable.task_history UNION ALL SELECT 1 FROM flowable.process_instances
                  UNION ALL SELECT 1 FROM flowable.workflow_variables UNION ALL SELECT 1 FROM onecms.case_workflow_mapping$$,
    'dave, whose role expired, sees nothing');
SELECT set_config('app.current_user_id', '', true);
SELECT is_empty($$SELECT 1 FROM flowable.task_history UNION ALL SELECT 1 FROM flowable.process_instances
                  UNION ALL SELECT 1 FROM flowable.workflow_variables UNION ALL SELECT 1 FROM onecms.case_workflow_mapping$$,
    'an empty identity sees nothing');
SELECT throws_ok($$INSERT INTO flowable.workflow_variables (process_instance_id, variable_name, variable_type) VALUES ('p-claims', 'z', 'STRING')$$,
    '42501', NULL, 'people cannot write variables directly');
SELECT throws_ok($$UPDATE flowable.process_instances SET status = 'ERROR'$$, '42501', NULL, 'people cannot write runs directly');

SELECT * FROM finish();
ROLLBACK;
