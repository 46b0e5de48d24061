-- Pause, resume and cancel: only the run's starter or a workflow_admin; illegal transitions are
-- refused (PW409); a paused run's steps are not claimable and a step finished while paused
-- waits for resume; cancelling closes the open steps, approvals and tasks; all are recorded.
BEGIN;
SELECT plan(23);

SELECT tests.cr_queue('ops_q'), tests.cr_role('ops', 'ops_q'), tests.cr_role('workflow_admin'),
       tests.cr_user('alice'), tests.cr_user('bob'), tests.cr_user('root'), tests.cr_grant('root', 'workflow_admin');
CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["work", "action"], ["after", "notification"], ["done", "end"]]',
    '[["start", "work"], ["work", "after"], ["after", "done"]]')) AS id;
CREATE TEMP TABLE r AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;
GRANT SELECT ON r TO pgwf_test_app;

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('bob');
SELECT throws_ok($$SELECT automation.pause_workflow((SELECT id FROM r))$$, 'PW403', NULL, 'someone else cannot pause a run');
SELECT tests.as_user('alice');
SELECT is(automation.pause_workflow((SELECT id FROM r), 'maintenance window'), 'paused', 'the starter pauses her run');
SELECT throws_ok($$SELECT automation.pause_workflow((SELECT id FROM r))$$, 'PW409', NULL, 'a paused run cannot be paused again');
RESET ROLE;
SELECT isnt((SELECT paused_at FROM automation.workflow_instances WHERE id = (SELECT id FROM r)), NULL, 'paused_at is set');
SELECT is((SELECT status FROM flowable.process_instances WHERE process_instance_id = (SELECT id FROM r)::text), 'SUSPENDED',
    'the process instance is SUSPENDED');
SELECT is((SELECT count(*) FROM automation.claim_steps('w', ARRAY['action'])), 0::bigint, 'a paused run''s steps are not claimable');

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('root');
SELECT is(automation.resume_workflow((SELECT id FROM r)), 'running', 'a workflow_admin resumes any run');
RESET ROLE;
SELECT is((SELECT count(*) FROM automation.claim_steps('w', ARRAY['action'])), 1::bigint, 'a resumed run''s step is claimable');

-- a step finished while the run is paused waits for resume
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT automation.pause_workflow((SELECT id FROM r));
RESET ROLE;
SELECT automation.complete_step(tests.automation_step_id((SELECT id FROM r), 'work'), '{}', 'w');
SELECT is(tests.automation_steps((SELECT id FROM r)), 'start:completed work:completed',
    'a step completed while paused does not move the run');
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT is(automation.resume_workflow((SELECT id FROM r)), 'completed', 'resuming moves the run on, here to completion');
RESET ROLE;
SELECT is(tests.automation_steps((SELECT id FROM r)), 'start:completed work:completed after:completed done:completed',
    'the run continued from where it waited');
SELECT is((SELECT jsonb_agg(e ->> 'action' ORDER BY ord) FROM automation.workflow_instances,
           jsonb_array_elements(engine_state -> 'events') WITH ORDINALITY AS x(e, ord) WHERE id = (SELECT id FROM r)),
    '["pause", "resume", "pause", "resume"]'::jsonb, 'every pause and resume is recorded');
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT throws_ok($$SELECT automation.cancel_workflow((SELECT id FROM r))$$, 'PW409', NULL, 'a completed run cannot be cancelled');
RESET ROLE;

-- cancel closes the open work
CREATE TEMP TABLE wf2 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["ask", "approval", {"approverRole": "ops"}], ["job", "action"], ["y", "end"], ["n", "end"]]',
    '[["start", "ask"], ["start", "job"], ["ask", "y", "approved"], ["ask", "n", "rejected"]]')) AS id;
CREATE TEMP TABLE r2 AS SELECT tests.automation_start((SELECT id FROM wf2)) AS id;
GRANT SELECT ON r2 TO pgwf_test_app;
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT throws_ok($$SELECT automation.resume_workflow((SELECT id FROM r2))$$, 'PW409', NULL, 'a running run cannot be resumed');
SELECT is(automation.cancel_workflow((SELECT id FROM r2), 'duplicate ticket'), 'cancelled', 'the starter cancels her run');
SELECT tests.as_user('');
SELECT throws_ok($$SELECT automation.cancel_workflow((SELECT id FROM r2))$$, 'PW401', NULL, 'cancelling needs an identity');
RESET ROLE;
SELECT results_eq($$SELECT node_id::text, status::text, error_message FROM automation.workflow_executions
                    WHERE instance_id = (SELECT id FROM r2) AND node_id IN ('ask', 'job') ORDER BY node_id$$,
    $$VALUES ('ask', 'failed', 'run cancelled by alice: duplicate ticket'), ('job', 'failed', 'run cancelled by alice: duplicate ticket')$$,
    'cancelling closes the open steps with the reason');
SELECT is((SELECT wa.status FROM automation.workflow_approvals wa WHERE wa.execution_id = tests.automation_step_id((SELECT id FROM r2), 'ask')),
    'expired', 'the open approval is closed');
SELECT is((SELECT status FROM flowable.workflow_tasks WHERE process_instance_id = (SELECT id FROM r2)::text), 'CANCELLED',
    'the open queue task is cancelled');
SELECT results_eq($$SELECT action_type::text, action_by::text, old_status::text, new_status::text, comments FROM flowable.task_history
                    WHERE process_instance_id = (SELECT id FROM r2)::text AND action_type = 'CANCEL'$$,
    $$VALUES ('CANCEL', 'SYSTEM', 'OPEN', 'CANCELLED', 'run cancelled by alice: duplicate ticket')$$,
    'the task''s history records the cancellation, from which status and why');
SELECT results_eq($$SELECT wi.status::text, pi.status::text, wi.completed_at IS NOT NULL FROM automation.workflow_instances wi
                    JOIN flowable.process_instances pi ON pi.process_instance_id = wi.id::text WHERE wi.id = (SELECT id FROM r2)$$,
    $$VALUES ('cancelled', 'TERMINATED', true)$$, 'the run is cancelled, its process instance TERMINATED');

-- a starter deactivated since controls the run no longer (a workflow_admin still does)
CREATE TEMP TABLE r3 AS SELECT tests.automation_start((SELECT id FROM wf2)) AS id;
GRANT SELECT ON r3 TO pgwf_test_app;
UPDATE entitlements.users SET is_active = false WHERE user_id = 'alice';
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT throws_ok($$SELECT automation.cancel_workflow((SELECT id FROM r3))$$, 'PW403', NULL,
    'a deactivated starter cannot cancel her run');
RESET ROLE;
SELECT results_eq($$SELECT wi.status::text, (SELECT t.status::text FROM flowable.workflow_tasks t
                                               WHERE t.process_instance_id = wi.id::text)
                    FROM automation.workflow_instances wi WHERE wi.id = (SELECT id FROM r3)$$,
    $$VALUES ('running', 'OPEN')$$, 'the refused cancel left the run and its task as they were');

SELECT * FROM finish();
ROLLBACK;
