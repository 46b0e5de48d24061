-- The notification outbox (lease, sent, failed with backoff, notifications_sent on approvals)
-- and run_maintenance (one caller at a time; schedules, approval expiry, lease recovery).
BEGIN;
SELECT plan(17);

SELECT tests.cr_queue('sec_q'), tests.cr_role('security_team', 'sec_q'), tests.cr_user('alice');
CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["ap", "approval", {"approverRole": "security_team", "recipients": ["sec@example.org"], "expiresInMinutes": 5}],
      ["y", "end"], ["n", "end"]]',
    '[["start", "ap"], ["ap", "y", "approved"], ["ap", "n", "rejected"]]')) AS id;
CREATE TEMP TABLE r AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;

SELECT throws_ok($$SELECT * FROM automation.claim_notifications('')$$, 'PW400', NULL, 'the notifier must name itself');
CREATE TEMP TABLE c AS SELECT * FROM automation.claim_notifications('n1', 10, 60);
SELECT results_eq($$SELECT notification_type::text, channel::text, lease_owner::text FROM c$$,
    $$VALUES ('approval_request', 'email', 'n1')$$, 'the notifier leases the pending approval request');
SELECT is((SELECT count(*) FROM automation.claim_notifications('n2')), 0::bigint, 'a leased notification is not leased twice');
SELECT throws_ok($$SELECT automation.mark_notification_sent((SELECT id FROM c), 'n2')$$, 'PW410', NULL,
    'another notifier cannot report on it');
SELECT is(automation.mark_notification_failed((SELECT id FROM c), 'SMTP 451', true, 'n1'), 'retrying', 'a failed delivery is retried');
SELECT results_eq($$SELECT status::text, retry_count, round(extract(epoch FROM next_attempt_at - clock_timestamp())) BETWEEN 28 AND 30
                    FROM automation.workflow_notifications WHERE id = (SELECT id FROM c)$$,
    $$VALUES ('pending', 1, true)$$, 'after a 30 second backoff');
SELECT is((SELECT count(*) FROM automation.claim_notifications('n1')), 0::bigint, 'a notification in backoff is not deliverable');
UPDATE automation.workflow_notifications SET next_attempt_at = NULL WHERE id = (SELECT id FROM c);
SELECT is((SELECT count(*) FROM automation.claim_notifications('n1')), 1::bigint, 'after the backoff it is leased again');
SELECT lives_ok($$SELECT automation.mark_notification_sent((SELECT id FROM c), 'n1')$$, 'and delivered');
SELECT results_eq($$SELECT status::text, sent_at IS NOT NULL FROM automation.workflow_notifications WHERE id = (SELECT id FROM c)$$,
    $$VALUES ('sent', true)$$, 'a delivered notification is sent');
SELECT is((SELECT notifications_sent FROM automation.workflow_approvals WHERE execution_id = tests.automation_step_id((SELECT id FROM r), 'ap')), 1,
    'a delivered approval request counts on its approval');
SELECT throws_ok($$SELECT automation.mark_notification_sent((SELECT id FROM c), 'n1')$$, 'PW409', NULL, 'a sent notification cannot be reported again');
INSERT INTO automation.workflow_notifications (notification_type, channel, notification_data) VALUES ('error_alert', 'sms', '{"maxRetries": 0}');
SELECT is(automation.mark_notification_failed(x.id, 'no route', true, 'n1'), 'failed', 'with no retries left a delivery fails')
FROM automation.claim_notifications('n1') x;

-- maintenance
UPDATE automation.workflow_approvals SET expires_at = now() - interval '1 minute' WHERE execution_id = tests.automation_step_id((SELECT id FROM r), 'ap');
CREATE TEMP TABLE m AS SELECT automation.run_maintenance() AS result;
SELECT results_eq($$SELECT (result ->> 'skipped')::boolean, (result ->> 'approvals_expired')::integer FROM m$$,
    $$VALUES (false, 1)$$, 'run_maintenance expires the overdue approval');
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT id FROM r)), 'failed',
    'with no expired edge the run fails');
SELECT ok((SELECT result ? 'schedules_fired' AND result ? 'tasks_escalated' AND result ? 'leases_recovered'
                  AND jsonb_typeof(result -> 'tasks_closed') = 'number' AND result -> 'errors' = '[]'::jsonb FROM m),
    'run_maintenance reports schedules, escalations and lease recoveries');
SELECT is((SELECT count(*) FROM automation.run_maintenance() x WHERE (x ->> 'skipped')::boolean), 0::bigint,
    'the holder of the maintenance lock may run it again (the lock is per transaction; concurrency is tested in Python)');

SELECT * FROM finish();
ROLLBACK;
