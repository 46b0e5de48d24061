-- Changing workflow models needs the workflow_admin permission: without it nobody saves a model
-- or a new version of someone's model, deploys (activates) a version, or changes a trigger
-- (rotating a webhook token, widening allowedIPs). PW403 names the permission; nothing changes.
BEGIN;
SELECT plan(14);

SELECT tests.cr_user('mallory');
SELECT tests.workflow_admin('boss');
CREATE TEMP TABLE g AS SELECT tests.automation_graph('[["start", "trigger"], ["work", "action"]]', '[["start", "work"]]') AS graph;
CREATE TEMP TABLE wf AS SELECT tests.automation_deployed((SELECT graph FROM g), p_name => 'guarded model') AS id;
SELECT tests.as_user('boss');
CREATE TEMP TABLE hook AS SELECT * FROM automation.save_trigger((SELECT id FROM wf), 'webhook',
    '{"endpoint": "/hooks/guarded", "allowedIPs": ["10.0.0.0/24"]}');
SELECT tests.as_user('');
CREATE TEMP TABLE before AS
    SELECT (SELECT count(*) FROM automation.workflows) AS workflows,
           (SELECT count(*) FROM flowable.workflow_definitions) AS definitions,
           (SELECT count(*) FROM automation.workflow_triggers) AS triggers,
           (SELECT token_hash FROM automation.workflow_triggers WHERE id = (SELECT trigger_id FROM hook)) AS token_hash,
           (SELECT configuration FROM automation.workflow_triggers WHERE id = (SELECT trigger_id FROM hook)) AS configuration;
GRANT SELECT ON g, wf, hook, before TO PUBLIC;

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('mallory');
SELECT throws_ok($$SELECT automation.save_workflow((SELECT graph FROM g), 'mine')$$, 'PW403',
    'user mallory may not save_workflow: it needs the workflow_admin permission', 'saving a new model needs the workflow_admin permission');
SELECT throws_ok($$SELECT automation.save_workflow((SELECT graph FROM g), 'taken over', (SELECT id FROM wf))$$, 'PW403',
    'user mallory may not save_workflow: it needs the workflow_admin permission', 'nobody without it makes a new version of someone''s model');
SELECT throws_ok($$SELECT automation.deploy_workflow((SELECT id FROM wf))$$, 'PW403',
    'user mallory may not deploy_workflow: it needs the workflow_admin permission', 'deploying (activating) a version needs the workflow_admin permission');
SELECT throws_ok($$SELECT * FROM automation.save_trigger((SELECT id FROM wf), 'webhook', '{"endpoint": "/hooks/guarded"}',
                                                        p_trigger_id => (SELECT trigger_id FROM hook), p_rotate_token => true)$$, 'PW403',
    'user mallory may not save_trigger: it needs the workflow_admin permission', 'rotating another workflow''s webhook token needs the workflow_admin permission');
SELECT throws_ok($$SELECT * FROM automation.save_trigger((SELECT id FROM wf), 'webhook', '{"endpoint": "/hooks/guarded", "allowedIPs": ["0.0.0.0/0"]}',
                                                        p_trigger_id => (SELECT trigger_id FROM hook))$$, 'PW403', NULL,
    'widening a webhook''s allowedIPs needs the workflow_admin permission');
SELECT throws_ok($$SELECT * FROM automation.save_trigger((SELECT id FROM wf), 'manual')$$, 'PW403', NULL,
    'adding a trigger needs the workflow_admin permission');
RESET ROLE;
SELECT results_eq($$SELECT (SELECT count(*) FROM automation.workflows), (SELECT count(*) FROM flowable.workflow_definitions),
                           (SELECT count(*) FROM automation.workflow_triggers)$$,
    $$SELECT workflows, definitions, triggers FROM before$$, 'the refusals wrote no model, version, definition or trigger');
SELECT is((SELECT token_hash FROM automation.workflow_triggers WHERE id = (SELECT trigger_id FROM hook)), (SELECT token_hash FROM before),
    'the webhook token is unchanged');
SELECT is((SELECT configuration FROM automation.workflow_triggers WHERE id = (SELECT trigger_id FROM hook)), (SELECT configuration FROM before),
    'the webhook configuration (allowedIPs) is unchanged');

-- an expired grant is no permission; a current one is
UPDATE entitlements.user_workflow_roles SET valid_until = now() - interval '1 minute' WHERE user_id = 'boss';
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('boss');
SELECT throws_ok($$SELECT automation.save_workflow((SELECT graph FROM g), 'expired')$$, 'PW403', NULL,
    'a workflow_admin grant that has ended gives no permission');
RESET ROLE;
UPDATE entitlements.user_workflow_roles SET valid_until = NULL WHERE user_id = 'boss';
SET LOCAL ROLE pgwf_test_app;
SELECT lives_ok($$SELECT automation.save_workflow((SELECT graph FROM g), 'next version', (SELECT id FROM wf))$$,
    'a workflow_admin makes a new version of the model');
SELECT lives_ok($$SELECT * FROM automation.save_trigger((SELECT id FROM wf), 'webhook', '{"endpoint": "/hooks/guarded"}',
                                                       p_trigger_id => (SELECT trigger_id FROM hook), p_rotate_token => true)$$,
    'a workflow_admin rotates the webhook token');
RESET ROLE;
SELECT isnt((SELECT token_hash FROM automation.workflow_triggers WHERE id = (SELECT trigger_id FROM hook)), (SELECT token_hash FROM before),
    'the rotation by the workflow_admin changed the token');
SELECT is((SELECT created_by::text FROM automation.workflows WHERE name = 'next version'), 'boss',
    'the new version records the workflow_admin who saved it');

SELECT * FROM finish();
ROLLBACK;
