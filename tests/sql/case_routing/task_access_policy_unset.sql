-- RLS on the case-routing tables in a session where app.current_user_id was never set:
-- nothing is visible and nothing errors (the spec's current_setting() without missing_ok errors).
BEGIN;
SELECT plan(10);

SELECT tests.cr_world();
SELECT tests.cr_task('c-open', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
SELECT tests.cr_task('c-alice', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice');
INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by)
VALUES ('c-open', 'pi-c-open', 'CREATE', 'SYSTEM');
INSERT INTO flowable.workflow_variables (process_instance_id, variable_name, variable_type, variable_value)
VALUES ('pi-c-open', 'amount', 'INTEGER', '10');
INSERT INTO onecms.case_workflow_mapping (case_id, process_instance_id, workflow_type, initiated_by)
VALUES (1, 'pi-c-open', 'test_process', 'starter');

SELECT is(current_setting('app.current_user_id', true), NULL, 'this session has never set app.current_user_id');

SET LOCAL ROLE pgwf_test_app;
SELECT lives_ok($$SELECT count(*) FROM flowable.workflow_tasks$$, 'reading tasks without an identity raises no error');
SELECT is_empty($$SELECT task_id FROM flowable.workflow_tasks$$, 'no identity sees no task');
SELECT is_empty($$SELECT history_id FROM flowable.task_history$$, 'no identity sees no task history');
SELECT is_empty($$SELECT process_instance_id FROM flowable.process_instances$$, 'no identity sees no process instance');
SELECT is_empty($$SELECT variable_id FROM flowable.workflow_variables$$, 'no identity sees no variable');
SELECT is_empty($$SELECT mapping_id FROM onecms.case_workflow_mapping$$, 'no identity sees no case mapping');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM flowable.workflow_tasks), 2, 'the tasks exist (the superuser sees them)');
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT is((SELECT count(*)::int FROM flowable.workflow_tasks), 2, 'once alice is the identity she sees her queue''s tasks');
SELECT is((SELECT count(*)::int FROM flowable.task_history), 1, 'and the history of those tasks');
SELECT * FROM finish();
ROLLBACK;
