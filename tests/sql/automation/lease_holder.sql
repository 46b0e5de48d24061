-- A lease is the worker's (issue 16, item 7): a report on a leased step or notification must
-- name the worker holding the lease; one naming nobody (p_worker_id NULL or empty) or another
-- worker is refused, naming the step and its holder, and changes nothing.
BEGIN;
SELECT plan(18);

SELECT tests.cr_queue('sec_q'), tests.cr_role('security_team', 'sec_q'), tests.cr_user('alice');
CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["call", "integration", {"connector": "http", "maxRetries": 2}], ["done", "end"]]',
    '[["start", "call"], ["call", "done"]]')) AS id;
CREATE TEMP TABLE run AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;
CREATE TEMP TABLE step AS SELECT tests.automation_step_id((SELECT id FROM run), 'call') AS id;
SELECT count(*) FROM automation.claim_steps('w1', ARRAY['integration'], 60, 5);

SELECT throws_ok($$SELECT automation.complete_step((SELECT id FROM step), '{}')$$, 'PW400', NULL,
    'complete_step without a worker id is refused');
SELECT throws_like($$SELECT automation.complete_step((SELECT id FROM step), '{}')$$,
    '%step % (node call) is leased to worker w1%',
    'the refusal names the step and the worker holding its lease');
SELECT throws_ok($$SELECT automation.complete_step((SELECT id FROM step), '{}', '')$$, 'PW400', NULL,
    'an empty worker id is no worker id');
SELECT throws_ok($$SELECT automation.fail_step((SELECT id FROM step), 'boom')$$, 'PW400', NULL,
    'fail_step without a worker id is refused');
SELECT throws_ok($$SELECT automation.fail_step((SELECT id FROM step), 'boom', false, NULL, 'E1')$$, 'PW400', NULL,
    'fail_step with a BPMN error code but without a worker id is refused');
SELECT throws_ok($$SELECT automation.fail_step((SELECT id FROM step), 'boom', true, 'w2')$$, 'PW410', NULL,
    'fail_step by another worker is refused');
SELECT throws_like($$SELECT automation.fail_step((SELECT id FROM step), 'boom', true, 'w2')$$,
    '%step % (node call)%held by w1%', 'the refusal of another worker names the holder');
SELECT throws_like($$SELECT automation.fail_step((SELECT id FROM step), 'boom', true, 'w2')$$,
    '%now held by w1, whose lease runs until %', 'the holder''s expiry is said to be the holder''s, not "expired at"');
SELECT throws_like($$SELECT automation.fail_step((SELECT id FROM step), 'boom', true, 'w2')$$,
    '%' || (SELECT lease_expires_at FROM automation.workflow_executions WHERE id = (SELECT id FROM step))::text || '%',
    'and it is the time the holder''s lease runs until');
SELECT throws_ok($$SELECT automation.extend_step_lease((SELECT id FROM step), 'w2', 60)$$, 'PW410', NULL,
    'another worker cannot renew the lease');
SELECT results_eq($$SELECT status::text, worker_id::text, retry_count, error_message FROM automation.workflow_executions WHERE id = (SELECT id FROM step)$$,
    $$VALUES ('running', 'w1', 0, NULL::text)$$, 'refused reports change nothing: the step is still w1''s');
SELECT lives_ok($$SELECT automation.complete_step((SELECT id FROM step), '{}', 'w1')$$, 'the holder completes the step');
SELECT is((SELECT status::text FROM automation.workflow_instances WHERE id = (SELECT id FROM run)), 'completed', 'and the run completes');

-- the notification outbox: a delivery lease is the notifier's too
CREATE TEMP TABLE wf2 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["ap", "approval", {"approverRole": "security_team", "recipients": ["sec@example.org"]}],
      ["y", "end"], ["n", "end"]]',
    '[["start", "ap"], ["ap", "y", "approved"], ["ap", "n", "rejected"]]')) AS id;
SELECT tests.automation_start((SELECT id FROM wf2));
CREATE TEMP TABLE c AS SELECT * FROM automation.claim_notifications('n1', 10, 60);
SELECT throws_ok($$SELECT automation.mark_notification_sent((SELECT id FROM c))$$, 'PW400', NULL,
    'mark_notification_sent without a notifier id is refused');
SELECT throws_like($$SELECT automation.mark_notification_sent((SELECT id FROM c))$$, '%notification % is leased to n1%',
    'the refusal names the notification and its lease holder');
SELECT throws_ok($$SELECT automation.mark_notification_failed((SELECT id FROM c), 'SMTP 451', true)$$, 'PW400', NULL,
    'mark_notification_failed without a notifier id is refused');
SELECT throws_ok($$SELECT automation.mark_notification_failed((SELECT id FROM c), 'SMTP 451', true, 'n2')$$, 'PW410', NULL,
    'another notifier cannot report a failure');
SELECT lives_ok($$SELECT automation.mark_notification_sent((SELECT id FROM c), 'n1')$$, 'the holder reports the delivery');

SELECT * FROM finish();
ROLLBACK;
