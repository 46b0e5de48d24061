-- retry_workflow: a failed run runs again from the top-level step whose failure failed it, as
-- its starter or a workflow_admin; a run not failed, failed by its model (the step limit), or
-- failed with other branches open is refused (PW409), each saying why.
BEGIN;
SELECT plan(14);

SELECT tests.cr_role('workflow_admin'), tests.cr_user('alice'), tests.cr_user('bob'), tests.cr_user('root'),
       tests.cr_grant('root', 'workflow_admin');
CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["work", "action"], ["done", "end"]]',
    '[["start", "work"], ["work", "done"]]')) AS id;
CREATE TEMP TABLE r AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;
GRANT SELECT ON r TO pgwf_test_app;

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT throws_ok($$SELECT automation.retry_workflow((SELECT id FROM r))$$, 'PW409',
    format('run %s is running and cannot be retried (only a failed run can)', (SELECT id FROM r)),
    'a running run cannot be retried');
RESET ROLE;

-- the worker step fails for good: the run fails naming it
SELECT automation.claim_steps('w', ARRAY['action']);
SELECT is(automation.fail_step(tests.automation_step_id((SELECT id FROM r), 'work'), 'service down', false, 'w'), 'failed',
    'a step that fails without retries fails the run');

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('bob');
SELECT throws_ok($$SELECT automation.retry_workflow((SELECT id FROM r))$$, 'PW403', NULL, 'someone else cannot retry a run');
SELECT tests.as_user('alice');
SELECT is(automation.retry_workflow((SELECT id FROM r), 'service is back'), 'running', 'the starter retries her failed run');
RESET ROLE;
SELECT is(tests.automation_steps((SELECT id FROM r)), 'start:completed work:failed work:pending',
    'the failed step is visited again as a new step; the failed one stays in the history');
SELECT results_eq($$SELECT error_details, completed_at IS NULL FROM automation.workflow_instances WHERE id = (SELECT id FROM r)$$,
    $$VALUES (NULL::text, true)$$, 'the retried run has no error and is not finished');
SELECT is((SELECT status FROM flowable.process_instances WHERE process_instance_id = (SELECT id FROM r)::text), 'ACTIVE',
    'its process instance is active again');
SELECT results_eq($$SELECT e ->> 'action', e ->> 'node', e ->> 'reason', e ->> 'error' LIKE 'step % (node work) failed: service down'
                    FROM automation.workflow_instances, jsonb_array_elements(engine_state -> 'events') e WHERE id = (SELECT id FROM r)$$,
    $$VALUES ('retry', 'work', 'service is back', true)$$, 'the retry is recorded with the step and the error it retried');

SELECT automation.claim_steps('w', ARRAY['action']);
SELECT automation.complete_step(tests.automation_step_id((SELECT id FROM r), 'work'), '{}', 'w');
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT id FROM r)), 'completed',
    'the retried run goes on to completion');
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('root');
SELECT throws_ok($$SELECT automation.retry_workflow((SELECT id FROM r))$$, 'PW409', NULL, 'a completed run cannot be retried');
RESET ROLE;

-- stopped by its model: nothing to retry
CREATE TEMP TABLE wf2 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["a", "notification"], ["b", "gateway", {"kind": "exclusive"}]]',
    '[["start", "a"], ["a", "b"], ["b", "a"]]'), '{"maxSteps": 7}') AS id;
CREATE TEMP TABLE r2 AS SELECT tests.automation_start((SELECT id FROM wf2)) AS id;
GRANT SELECT ON r2 TO pgwf_test_app;
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('root');
SELECT throws_ok($$SELECT automation.retry_workflow((SELECT id FROM r2))$$, 'PW409',
    format('run %s did not fail at a step that can be retried: the run visited more than 7 steps (maxSteps) and was stopped at node a; does the model loop?',
           (SELECT id FROM r2)),
    'a run stopped by its step limit is not retried (it would stop the same way)');
RESET ROLE;

-- parallel branches: the other branch's open step was closed with the run, so no retry
CREATE TEMP TABLE wf3 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["a", "action"], ["b", "action"], ["ea", "end"], ["eb", "end"]]',
    '[["start", "a"], ["start", "b"], ["a", "ea"], ["b", "eb"]]')) AS id;
CREATE TEMP TABLE r3 AS SELECT tests.automation_start((SELECT id FROM wf3)) AS id;
GRANT SELECT ON r3 TO pgwf_test_app;
SELECT automation.claim_steps('w', ARRAY['action']);
SELECT automation.fail_step(tests.automation_step_id((SELECT id FROM r3), 'a'), 'broken', false, 'w');
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT throws_like($$SELECT automation.retry_workflow((SELECT id FROM r3))$$,
    '%had other branches open when step % (node a) failed (at b)%', 'a run that failed with other branches open is not retried');
SELECT throws_ok($$SELECT automation.retry_workflow(gen_random_uuid())$$, 'PW404', NULL, 'an unknown run is not found');
RESET ROLE;
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT id FROM r3)), 'failed', 'a refused retry changes nothing');

SELECT * FROM finish();
ROLLBACK;
