-- Deploying, activating and deleting process versions act as the current identity, who must
-- hold workflow_admin; deploy_process and start_process never record someone else as the
-- deployer or starter (p_deployed_by / p_started_by must be NULL or the identity).
BEGIN;
SELECT plan(20);

CREATE TEMP TABLE ids (name text PRIMARY KEY, id text);
GRANT ALL ON ids TO PUBLIC;
CREATE TEMP VIEW docs AS SELECT
    tests.bpmn_linear('<userTask id="step" name="Check" pgwf:queue="checks"/>', 'guarded') AS v1,
    tests.bpmn_linear('<userTask id="step" name="Check again" pgwf:queue="checks"/>', 'guarded') AS v2;
GRANT SELECT ON docs TO PUBLIC;
SELECT tests.cr_queue('checks');
SELECT tests.cr_user('victim'), tests.cr_user('mallory');
SELECT tests.workflow_admin('admin');

SET LOCAL ROLE pgwf_test_app;
-- no identity: refused even when a deployer or starter is named, and the identity stays unset
SELECT tests.as_user('');
SELECT throws_ok($$SELECT flowable.deploy_process((SELECT v1 FROM docs), 'victim')$$, 'PW401',
    'deploy_process needs an identity (app.current_user_id)', 'deploying without an identity is refused even naming a deployer');
SELECT is(current_setting('app.current_user_id', true), '', 'a refused deployment leaves no identity behind');
-- a person without workflow_admin deploys nothing, in their own name or anyone else's
SELECT tests.as_user('mallory');
SELECT throws_ok($$SELECT flowable.deploy_process((SELECT v1 FROM docs), 'admin')$$, 'PW403',
    'deploy_process: user mallory cannot deploy as user admin', 'deploying in another person''s name is refused');
SELECT throws_ok($$SELECT flowable.deploy_process((SELECT v1 FROM docs))$$, 'PW403',
    'user mallory may not deploy_process: it needs the workflow_admin permission', 'deploying needs the workflow_admin permission');
SELECT throws_ok($$SELECT flowable.deploy_process((SELECT v1 FROM docs), 'mallory')$$, 'PW403', NULL,
    'naming oneself as deployer does not replace the workflow_admin permission');
RESET ROLE;
SELECT is((SELECT count(*)::integer FROM flowable.workflow_definitions WHERE process_key = 'guarded'), 0,
    'refused deployments store no version');

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('admin');
INSERT INTO ids SELECT 'v1', flowable.deploy_process((SELECT v1 FROM docs), 'admin');
INSERT INTO ids SELECT 'v2', flowable.deploy_process((SELECT v2 FROM docs));
RESET ROLE;
SELECT results_eq($$SELECT process_version, deployed_by::text, is_active FROM flowable.workflow_definitions
                    WHERE process_key = 'guarded' ORDER BY process_version$$,
    $$VALUES (1, 'admin', false), (2, 'admin', true)$$,
    'a workflow_admin deploys, naming themself or no one: the deployer recorded is the identity');

-- activating and deleting versions
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('');
SELECT throws_ok($$SELECT flowable.bpmn_activate_version('guarded', 1)$$, 'PW401', NULL, 'activating a version needs an identity');
SELECT throws_ok($$SELECT flowable.bpmn_delete_version('guarded', 1)$$, 'PW401', NULL, 'deleting a version needs an identity');
SELECT tests.as_user('mallory');
SELECT throws_ok($$SELECT flowable.bpmn_activate_version('guarded', 1)$$, 'PW403',
    'user mallory may not activate a process version: it needs the workflow_admin permission',
    'activating a version needs the workflow_admin permission');
SELECT throws_ok($$SELECT flowable.bpmn_delete_version('guarded', 1)$$, 'PW403',
    'user mallory may not delete a process version: it needs the workflow_admin permission',
    'deleting a version needs the workflow_admin permission');
RESET ROLE;
SELECT results_eq($$SELECT process_version, is_active FROM flowable.workflow_definitions WHERE process_key = 'guarded' ORDER BY 1$$,
    $$VALUES (1, false), (2, true)$$, 'refused activations and deletions change no version');
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('admin');
SELECT lives_ok($$SELECT flowable.bpmn_activate_version('guarded', 1)$$, 'a workflow_admin activates a version');
SELECT lives_ok($$SELECT flowable.bpmn_delete_version('guarded', 2)$$, 'a workflow_admin deletes a version nobody runs');
RESET ROLE;
UPDATE entitlements.users SET is_active = false WHERE user_id = 'admin';
SET LOCAL ROLE pgwf_test_app;
SELECT throws_ok($$SELECT flowable.bpmn_activate_version('guarded', 1)$$, 'PW403', NULL,
    'an inactive user holds no workflow_admin permission');

-- starting: the starter is the identity
SELECT tests.as_user('');
SELECT throws_ok($$SELECT flowable.start_process('guarded', p_started_by => 'victim')$$, 'PW401',
    'start_process needs an identity (app.current_user_id)', 'starting without an identity is refused even naming a starter');
SELECT tests.as_user('mallory');
SELECT throws_ok($$SELECT flowable.start_process('guarded', p_started_by => 'victim')$$, 'PW403',
    'start_process: user mallory cannot start a process as user victim', 'starting in another person''s name is refused');
INSERT INTO ids SELECT 'own', flowable.start_process('guarded', 'G-1', p_started_by => 'mallory');
INSERT INTO ids SELECT 'implicit', flowable.start_process('guarded', 'G-2');
RESET ROLE;
SELECT results_eq($$SELECT business_key::text, started_by::text FROM flowable.process_instances
                    WHERE process_instance_id IN (SELECT id FROM ids WHERE name IN ('own', 'implicit')) ORDER BY 1$$,
    $$VALUES ('G-1', 'mallory'), ('G-2', 'mallory')$$,
    'a run is recorded as started by the identity, whether p_started_by names it or is NULL');
SELECT is((SELECT count(*)::integer FROM flowable.process_instances WHERE started_by = 'victim'), 0,
    'no run is recorded as started by the victim');
SELECT is((SELECT count(*)::integer FROM automation.workflow_instances WHERE triggered_by = 'victim'), 0,
    'no engine run is recorded as triggered by the victim');

SELECT * FROM finish();
ROLLBACK;
