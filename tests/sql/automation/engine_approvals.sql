-- Approval and task nodes in the one inbox: an approval opens a workflow_approvals row and a
-- queue task for the approver role; only a holder of that role decides (approve_step /
-- reject_step, or completing the task through the task service); the run follows the
-- approved, rejected or expired edge. A task node's form data routes its outgoing edges.
BEGIN;
SELECT plan(30);

SELECT tests.cr_queue('security_q'), tests.cr_role('security_team', 'security_q'),
       tests.cr_user('alice'), tests.cr_user('sam'), tests.cr_user('bob'), tests.cr_grant('sam', 'security_team');

CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"],
      ["ap", "approval", {"label": "Security review", "approverRole": "security_team", "expiresInMinutes": 60,
                          "message": "Patch {{$input.asset}}?", "recipients": ["sec@example.org"]}],
      ["ok", "notification"], ["no", "end"], ["late", "end"]]',
    '[["start", "ap"], ["ap", "ok", "approved"], ["ap", "no", "rejected"], ["ap", "late", "expired"]]')) AS id;
CREATE TEMP TABLE r AS SELECT tests.automation_start((SELECT id FROM wf), '{"asset": "web01"}') AS id;
CREATE TEMP TABLE a AS
SELECT wa.* FROM automation.workflow_approvals wa WHERE wa.execution_id = tests.automation_step_id((SELECT id FROM r), 'ap');

SELECT results_eq($$SELECT status::text, current_step::text FROM automation.workflow_instances WHERE id = (SELECT id FROM r)$$,
    $$VALUES ('running', 'ap')$$, 'a run waits at its approval node');
SELECT is((SELECT status FROM automation.workflow_executions WHERE id = tests.automation_step_id((SELECT id FROM r), 'ap')), 'waiting_approval',
    'the approval step is waiting_approval');
SELECT results_eq($$SELECT approver_role::text, status::text, approval_message, expires_at > now() + interval '59 minutes' FROM a$$,
    $$VALUES ('security_team', 'pending', 'Patch web01?', true)$$, 'the approval row names the role, the filled message and the expiry');
SELECT results_eq($$SELECT t.queue_name::text, t.candidate_groups, t.task_type::text, t.task_definition_key::text, t.task_name::text,
                           (t.task_data ->> 'execution_id')::uuid = tests.automation_step_id((SELECT id FROM r), 'ap')
                    FROM flowable.workflow_tasks t WHERE t.task_id = (SELECT task_id FROM a)$$,
    $$VALUES ('security_q', ARRAY['security_team']::text[], 'APPROVAL', 'ap', 'Security review', true)$$,
    'a queue task in the role''s queue has the role as candidate group and the step id in task_data');
SELECT is((SELECT process_instance_id::text FROM flowable.workflow_tasks WHERE task_id = (SELECT task_id FROM a)), (SELECT id FROM r)::text,
    'the task belongs to the run''s process instance');
SELECT results_eq($$SELECT notification_type::text, recipients FROM automation.workflow_notifications WHERE instance_id = (SELECT id FROM r)$$,
    $$VALUES ('approval_request', '["sec@example.org"]'::jsonb)$$, 'an approval_request notification is queued');

GRANT SELECT ON a TO pgwf_test_app;
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('bob');
SELECT throws_ok($$SELECT automation.approve_step((SELECT id FROM a))$$, 'PW403',
    format('user bob does not hold role security_team and cannot decide approval %s', (SELECT id FROM a)),
    'a person without the approver role cannot approve');
SELECT tests.as_user('sam');
SELECT is((SELECT count(*) FROM automation.workflow_approvals), 1::bigint, 'the role holder sees the approval');
SELECT lives_ok($$SELECT automation.approve_step((SELECT id FROM a), 'go ahead')$$, 'a holder of the role approves');
SELECT throws_ok($$SELECT automation.approve_step((SELECT id FROM a))$$, 'PW409', NULL, 'a decided approval cannot be decided again');
RESET ROLE;

SELECT results_eq($$SELECT status::text, approver_user_id::text, responded_at IS NOT NULL FROM automation.workflow_approvals WHERE id = (SELECT id FROM a)$$,
    $$VALUES ('approved', 'sam', true)$$, 'the approval records the decision and who made it');
SELECT results_eq($$SELECT status::text, completed_by::text, outcome::text FROM flowable.workflow_tasks WHERE task_id = (SELECT task_id FROM a)$$,
    $$VALUES ('COMPLETED', 'sam', 'approved')$$, 'the queue task is completed by the approver with the outcome');
SELECT results_eq($$SELECT old_status::text, new_status::text, old_assignee::text, new_assignee::text FROM flowable.task_history
                    WHERE task_id = (SELECT task_id FROM a) AND action_type = 'COMPLETE'$$,
    $$VALUES ('OPEN', 'COMPLETED', NULL, 'sam')$$, 'its COMPLETE row records the approver as the new assignee');
SELECT is(tests.automation_steps((SELECT id FROM r)), 'start:completed ap:completed ok:completed', 'the run follows the approved edge');
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT id FROM r)), 'completed', 'and completes');

-- reject
CREATE TEMP TABLE r2 AS SELECT tests.automation_start((SELECT id FROM wf), '{"asset": "db01"}') AS id;
GRANT SELECT ON r2 TO pgwf_test_app;
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('sam');
SELECT lives_ok($$SELECT automation.reject_step(wa.id, 'not in a change window') FROM automation.workflow_approvals wa
                  WHERE wa.execution_id = tests.automation_step_id((SELECT id FROM r2), 'ap')$$, 'a holder of the role rejects');
RESET ROLE;
SELECT is(tests.automation_steps((SELECT id FROM r2)), 'start:completed ap:completed no:completed', 'the run follows the rejected edge');
SELECT is((SELECT rejection_reason FROM automation.workflow_approvals WHERE execution_id = tests.automation_step_id((SELECT id FROM r2), 'ap')),
    'not in a change window', 'the rejection reason is kept');

-- deciding through the task service: claim and complete the queue task
CREATE TEMP TABLE r3 AS SELECT tests.automation_start((SELECT id FROM wf), '{"asset": "app01"}') AS id;
CREATE TEMP TABLE t3 AS SELECT task_id FROM automation.workflow_approvals WHERE execution_id = tests.automation_step_id((SELECT id FROM r3), 'ap');
GRANT SELECT ON t3 TO pgwf_test_app;
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('sam');
SELECT lives_ok($$SELECT flowable.claim_task((SELECT task_id FROM t3))$$, 'the role holder claims the approval task from the queue');
SELECT lives_ok($$SELECT flowable.complete_task((SELECT task_id FROM t3), 'rejected', 'too risky')$$,
    'and completes it with outcome rejected');
RESET ROLE;
SELECT is(tests.automation_steps((SELECT id FROM r3)), 'start:completed ap:completed no:completed',
    'completing the approval task decides the approval and moves the run');
SELECT results_eq($$SELECT status::text, approver_user_id::text, rejection_reason FROM automation.workflow_approvals WHERE task_id = (SELECT task_id FROM t3)$$,
    $$VALUES ('rejected', 'sam', 'too risky')$$, 'the approval row records the decision made through the task');

-- expiry follows the expired edge
CREATE TEMP TABLE r4 AS SELECT tests.automation_start((SELECT id FROM wf), '{"asset": "old01"}') AS id;
UPDATE automation.workflow_approvals SET expires_at = now() - interval '1 minute'
WHERE execution_id = tests.automation_step_id((SELECT id FROM r4), 'ap');
SELECT is(automation.expire_workflow_approvals(), 1, 'the overdue approval expires');
SELECT is(tests.automation_steps((SELECT id FROM r4)), 'start:completed ap:completed late:completed',
    'an expired approval follows the expired edge when the model draws one');
SELECT is((SELECT t.status FROM flowable.workflow_tasks t JOIN automation.workflow_approvals wa ON wa.task_id = t.task_id
           WHERE wa.execution_id = tests.automation_step_id((SELECT id FROM r4), 'ap')), 'CANCELLED', 'its queue task is cancelled');

-- a task node: form data routes the run
CREATE TEMP TABLE wf5 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["triage", "task", {"queueName": "security_q", "candidateGroups": ["security_team"], "formKey": "triage"}],
      ["fix", "end"], ["wontfix", "end"]]',
    '[["start", "triage"], ["triage", "fix", null, {"conditions": [{"field": "decision", "operator": "equals", "value": "fix"}]}],
      ["triage", "wontfix", null, {"default": true}]]')) AS id;
CREATE TEMP TABLE r5 AS SELECT tests.automation_start((SELECT id FROM wf5)) AS id;
CREATE TEMP TABLE t5 AS SELECT task_id, form_key FROM flowable.workflow_tasks WHERE process_instance_id = (SELECT id FROM r5)::text;
GRANT SELECT ON t5 TO pgwf_test_app;
SELECT results_eq($$SELECT form_key::text, (SELECT status::text FROM automation.workflow_executions WHERE id = tests.automation_step_id((SELECT id FROM r5), 'triage')) FROM t5$$,
    $$VALUES ('triage', 'running')$$, 'a task node opens a queue task with its form and waits');
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('sam');
SELECT flowable.claim_task((SELECT task_id FROM t5)) IS NOT NULL;
SELECT lives_ok($$SELECT flowable.complete_task((SELECT task_id FROM t5), 'done', NULL, '{"decision": "fix"}')$$,
    'the task is completed with form data');
RESET ROLE;
SELECT is(tests.automation_steps((SELECT id FROM r5)), 'start:completed triage:completed fix:completed',
    'edge conditions read the task''s form data');

-- task fields may be {{path}} templates filled from the run's data
CREATE TEMP TABLE wf7 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["review", "task", {"queueName": "security_q", "candidateUsers": ["{{reviewer}}"], "priority": "{{prio}}"}]]',
    '[["start", "review"]]')) AS id;
CREATE TEMP TABLE r7 AS SELECT tests.automation_start((SELECT id FROM wf7), '{"reviewer": "sam", "prio": 80}') AS id;
SELECT results_eq($$SELECT candidate_users, priority FROM flowable.workflow_tasks WHERE process_instance_id = (SELECT id FROM r7)::text$$,
    $$VALUES (ARRAY['sam']::text[], 80)$$, 'a task node''s candidate users and priority are filled from the run''s data');

-- approval queue comes from the role; a role that does not exist (or has no queue) is refused at deploy
SELECT throws_ok($$SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["ap", "approval", {"approverRole": "nobody_role"}], ["y", "end"], ["n", "end"]]',
    '[["start", "ap"], ["ap", "y", "approved"], ["ap", "n", "rejected"]]'))$$, 'PW422',
    'workflow refused: approval node ap: approverRole nobody_role is not a workflow role',
    'an approval naming a role that does not exist is refused at deploy, naming node and role');

SELECT * FROM finish();
ROLLBACK;
