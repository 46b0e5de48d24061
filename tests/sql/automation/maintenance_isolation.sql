-- automation.run_maintenance runs each duty in its own sub-transaction: a queue whose
-- escalation_config escalate_overdue_tasks cannot apply (planted here with the validating
-- trigger switched off, as an older database could hold it) fails the escalation alone, which is
-- reported, while approval expiry still happens; tasks_escalated is counted by the escalation itself.
BEGIN;
SELECT plan(7);

SELECT tests.cr_world();
SELECT tests.cr_role('security_team', 'Q_OTHER');
CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["ap", "approval", {"approverRole": "security_team", "expiresInMinutes": 5}],
      ["y", "end"], ["n", "end"]]',
    '[["start", "ap"], ["ap", "y", "approved"], ["ap", "n", "rejected"]]')) AS id;
CREATE TEMP TABLE r AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;
UPDATE automation.workflow_approvals SET expires_at = now() - interval '1 minute'
WHERE execution_id = tests.automation_step_id((SELECT id FROM r), 'ap');

SELECT tests.cr_task('t-1', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], p_due_date => now() - interval '1 hour');
SELECT tests.cr_task('t-2', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], p_due_date => now() - interval '1 hour');
SELECT tests.cr_task('t-fraud', 'Q_FRAUD', ARRAY['FRAUD_AGENT'], p_due_date => now() - interval '1 hour');
ALTER TABLE flowable.workflow_queues DISABLE TRIGGER trg_workflow_queues_escalation_config;
UPDATE flowable.workflow_queues SET escalation_config = '{"levels": {"1": {"priority_boost": "ten"}}}' WHERE queue_name = 'Q_FRAUD';
ALTER TABLE flowable.workflow_queues ENABLE TRIGGER trg_workflow_queues_escalation_config;

SET LOCAL ROLE pgwf_test_worker;
SELECT lives_ok($$CREATE TEMP TABLE m AS SELECT automation.run_maintenance() AS result$$,
    'run_maintenance does not fail when one duty fails');
RESET ROLE;
SELECT results_eq(
    $$SELECT e ->> 'duty', e ->> 'sqlstate' FROM m, jsonb_array_elements(m.result -> 'errors') e$$,
    $$VALUES ('escalation', '22P02')$$,
    'the failed duty is reported in errors with its SQLSTATE');
SELECT ok((SELECT (result ->> 'tasks_escalated') IS NULL FROM m), 'the failed duty''s count is NULL');
SELECT is((SELECT (result ->> 'approvals_expired')::int FROM m), 1, 'approval expiry still happened');
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT id FROM r)), 'failed',
    'and its effect stays: the run whose approval expired failed');

UPDATE flowable.workflow_queues SET escalation_config = '{}' WHERE queue_name = 'Q_FRAUD';
SELECT results_eq($$SELECT (x ->> 'tasks_escalated')::int, jsonb_array_length(x -> 'errors') FROM automation.run_maintenance() x$$,
    $$VALUES (3, 0)$$, 'once the queue is fixed the escalation runs and reports the three tasks it escalated');
SELECT ok((SELECT prosrc !~ 'escalated_at\s*>=' FROM pg_proc WHERE oid = 'automation.run_maintenance'::regproc),
    'run_maintenance does not rescan workflow_tasks to count escalations');

SELECT * FROM finish();
ROLLBACK;
