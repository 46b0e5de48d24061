-- What complete_task stores in the task's form_data and the COMPLETE row's action_data: the
-- submitted form is merged over what the task already held, no form keeps it as it was (a NULL
-- document becomes '{}'), and action_data carries the outcome only when there is one.
BEGIN;
SELECT plan(10);

SELECT tests.cr_world();
SELECT tests.cr_task('d1', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice');
SELECT tests.cr_task('d2', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice');
SELECT tests.cr_task('d3', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice');
SELECT tests.cr_task('d4', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice');
SELECT tests.cr_task('d5', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice');
UPDATE flowable.workflow_tasks SET form_data = '{"amount": 100, "note": "draft"}' WHERE task_id IN ('d1', 'd2', 'd5');
UPDATE flowable.workflow_tasks SET form_data = NULL WHERE task_id = 'd3';

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');

SELECT is((SELECT form_data FROM flowable.complete_task('d1', 'APPROVED', NULL, '{"amount": 120, "checked": true}')),
    '{"amount": 120, "note": "draft", "checked": true}'::jsonb,
    'submitted form data is merged over the stored document, its keys winning');
SELECT is((SELECT form_data FROM flowable.complete_task('d2', 'APPROVED')),
    '{"amount": 100, "note": "draft"}'::jsonb, 'completing without form data keeps the stored document');
SELECT is((SELECT form_data FROM flowable.complete_task('d3')), '{}'::jsonb,
    'a task without a stored document completes with an empty one');
SELECT is((SELECT form_data FROM flowable.complete_task('d4', 'REJECTED', 'no invoice', NULL)), '{}'::jsonb,
    'NULL form data counts as none');
SELECT throws_ok($$SELECT flowable.complete_task('d5', 'APPROVED', NULL, '[1, 2]')$$, 'PW400', NULL,
    'form data that is not a JSON object is refused with PW400');

RESET ROLE;
SELECT is((SELECT status::text || ' ' || form_data::text FROM flowable.workflow_tasks WHERE task_id = 'd5'),
    'CLAIMED {"note": "draft", "amount": 100}', 'the refused completion left the task and its document as they were');
SELECT is((SELECT action_data FROM flowable.task_history WHERE task_id = 'd1' AND action_type = 'COMPLETE'),
    '{"outcome": "APPROVED"}'::jsonb, 'the COMPLETE row carries the outcome');
SELECT is((SELECT action_data FROM flowable.task_history WHERE task_id = 'd3' AND action_type = 'COMPLETE'),
    '{}'::jsonb, 'a completion without an outcome records an empty action_data');
SELECT is((SELECT comments FROM flowable.task_history WHERE task_id = 'd4' AND action_type = 'COMPLETE'),
    'no invoice', 'the outcome reason is the COMPLETE row''s comment');
SELECT is((SELECT count(*)::int FROM flowable.task_history WHERE task_id = 'd5'), 0,
    'the refused completion wrote no history');

SELECT * FROM finish();
ROLLBACK;
