-- One rule for who may act: only an existing, active user starts a run, decides, publishes; a
-- version that names its starters is started by them only; publishing an event needs
-- event_publisher (or workflow_admin) and a trigger's publisherRoles; a deactivated user no
-- longer sees her own run; a user-task step is read only by those who may read its task.
BEGIN;
SELECT plan(14);

SELECT tests.cr_world();
CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["note", "notification"]]', '[["start", "note"]]')) AS id;
CREATE TEMP TABLE guarded AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["note", "notification"]]', '[["start", "note"]]'),
    '{"starterRoles": ["FRAUD_AGENT"], "starterUsers": ["carol"]}') AS id;
GRANT SELECT ON wf, guarded TO PUBLIC;

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('ghost');
SELECT throws_ok($$SELECT automation.start_workflow((SELECT id FROM wf))$$, 'PW403',
    'start_workflow: user ghost does not exist', 'an unknown user cannot start a run');
SELECT tests.as_user('frank');
SELECT throws_ok($$SELECT automation.start_workflow((SELECT id FROM wf))$$, 'PW403',
    'start_workflow: user frank is inactive', 'a deactivated user cannot start a run');
SELECT throws_ok($$SELECT * FROM automation.publish_event('scanner', 'finding', '{}')$$, 'PW403',
    'publish_event: user frank is inactive', 'nor publish an event');
SELECT tests.as_user('');
SELECT throws_ok($$SELECT * FROM automation.publish_event('scanner', 'finding', '{}')$$, 'PW401', NULL,
    'publishing an event needs an identity');

-- starters
SELECT tests.as_user('alice');
SELECT throws_ok($$SELECT automation.start_workflow((SELECT id FROM guarded))$$, 'PW403',
    format('user alice may not start workflow %s', (SELECT id FROM guarded)),
    'a version naming its starters refuses anyone else');
SELECT tests.as_user('bob');
SELECT lives_ok($$SELECT automation.start_workflow((SELECT id FROM guarded))$$, 'a holder of a starter role starts it');
SELECT tests.as_user('carol');
SELECT lives_ok($$SELECT automation.start_workflow((SELECT id FROM guarded))$$, 'a named starter user starts it');
SELECT tests.as_user('alice');
SELECT lives_ok($$SELECT automation.start_workflow((SELECT id FROM wf))$$, 'a version naming none is started by any active user');

-- publishing
SELECT throws_ok($$SELECT * FROM automation.publish_event('scanner', 'finding', '{}')$$, 'PW403',
    'publish_event: user alice does not hold role event_publisher', 'publishing needs event_publisher');
RESET ROLE;
SELECT tests.cr_role('event_publisher', NULL, 'CLAIMS');
SELECT tests.cr_grant('alice', 'event_publisher');
SELECT tests.as_user('modeler');
SELECT automation.save_trigger((SELECT id FROM wf), 'event', '{"eventType": "finding"}', 'scanner');
SELECT automation.save_trigger((SELECT id FROM wf), 'event', '{"eventType": "finding", "publisherRoles": ["FRAUD_AGENT"]}', 'scanner');
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT results_eq($$SELECT status, reason IS NULL FROM automation.publish_event('scanner', 'finding', '{}') ORDER BY status$$,
    $$VALUES ('refused', false), ('started', true)$$,
    'an event publisher fires the triggers open to her; one naming publisherRoles she lacks is refused');

-- a deactivated user no longer sees her own run
RESET ROLE;
CREATE TEMP TABLE frank_run AS SELECT tests.automation_instance((SELECT id FROM wf), 'running', 'frank') AS id;
GRANT SELECT ON frank_run TO PUBLIC;
UPDATE entitlements.users SET is_active = true WHERE user_id = 'frank';
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('frank');
SELECT is((SELECT count(*)::int FROM automation.workflow_instances WHERE id = (SELECT id FROM frank_run)), 1,
    'an active user sees the run she started');
RESET ROLE;
UPDATE entitlements.users SET is_active = false WHERE user_id = 'frank';
SET LOCAL ROLE pgwf_test_app;
SELECT is((SELECT count(*)::int FROM automation.workflow_instances WHERE id = (SELECT id FROM frank_run)), 0,
    'deactivated, she sees it no more');
RESET ROLE;

-- a user-task step is read by those who may read its task only
CREATE TEMP TABLE bob_run AS SELECT tests.automation_instance((SELECT id FROM wf), 'running', 'bob') AS id;
GRANT SELECT ON bob_run TO PUBLIC;
SELECT tests.cr_task('fraud-form', 'Q_FRAUD', p_process_instance_id => (SELECT id FROM bob_run)::text);
SELECT tests.automation_execution((SELECT id FROM bob_run), 'review', 'running', 'task');
UPDATE automation.workflow_executions SET input_data = '{"task_id": "fraud-form", "form": {"iban": "DE00"}}'
WHERE instance_id = (SELECT id FROM bob_run) AND node_id = 'review';
UPDATE flowable.workflow_tasks SET assignee_id = 'alice', claimed_by = 'alice', status = 'CLAIMED' WHERE task_id = 'fraud-form';
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT is((SELECT count(*)::int FROM automation.workflow_executions WHERE node_id = 'review'), 1,
    'the holder of the task reads its step');
RESET ROLE;
UPDATE flowable.workflow_tasks SET assignee_id = 'carol', claimed_by = 'carol' WHERE task_id = 'fraud-form';
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('bob');
SELECT is((SELECT count(*)::int FROM automation.workflow_executions WHERE node_id = 'review'), 0,
    'the run''s starter does not read the form data of a task he may not see');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
