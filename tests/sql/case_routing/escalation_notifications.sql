-- A level of escalation_config naming notify_role queues one task_escalation row in the
-- notification outbox per queue, level and role of a run, addressed to the role's active holders
-- (emails on the email channel, user ids on the others), so the notifier delivers it.
BEGIN;
SELECT plan(6);

SELECT tests.cr_world();
SELECT tests.cr_grant('bob', 'CLAIMS_SUPERVISOR');
SELECT tests.cr_grant('dave', 'CLAIMS_SUPERVISOR', now() - interval '10 days', now() - interval '1 day');
SELECT tests.cr_grant('frank', 'CLAIMS_SUPERVISOR');
UPDATE flowable.workflow_queues
SET escalation_config = '{"levels": {"1": {"priority_boost": 5, "notify_role": "CLAIMS_SUPERVISOR"}}}'
WHERE queue_name = 'Q_CLAIMS';
UPDATE flowable.workflow_queues
SET escalation_config = '{"levels": {"1": {"notify_role": "CLAIMS_SUPERVISOR", "notify_channel": "slack"}}}'
WHERE queue_name = 'Q_FRAUD';

SELECT tests.cr_task('t-a', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], p_due_date => now() - interval '1 hour');
SELECT tests.cr_task('t-b', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice', p_due_date => now() - interval '2 hours');
SELECT tests.cr_task('t-c', 'Q_FRAUD', ARRAY['FRAUD_AGENT'], p_due_date => now() - interval '1 hour');
SELECT tests.cr_task('t-d', 'Q_OTHER', NULL, p_due_date => now() - interval '1 hour');

CREATE TEMP TABLE esc (p_escalated integer);
GRANT INSERT ON esc TO PUBLIC;
SET LOCAL ROLE pgwf_test_worker;
DO $$ DECLARE v integer; BEGIN CALL flowable.escalate_overdue_tasks(v); INSERT INTO esc VALUES (v); END $$;
RESET ROLE;

SELECT is((SELECT p_escalated FROM esc), 4, 'the procedure reports how many tasks it escalated');
SELECT results_eq(
    $$SELECT notification_type::text, channel::text, recipients, status::text,
             notification_data -> 'queue', notification_data -> 'level', notification_data -> 'task_ids'
      FROM automation.workflow_notifications ORDER BY notification_data ->> 'queue'$$,
    $$VALUES ('task_escalation', 'email', '["bob@example.org", "carol@example.org"]'::jsonb, 'pending',
              '"Q_CLAIMS"'::jsonb, '1'::jsonb, '["t-a", "t-b"]'::jsonb),
             ('task_escalation', 'slack', '["bob", "carol"]'::jsonb, 'pending',
              '"Q_FRAUD"'::jsonb, '1'::jsonb, '["t-c"]'::jsonb)$$,
    'one pending outbox row per queue and level, to the active holders of the role now (not expired dave, not inactive frank)');
SELECT is((SELECT subject::text FROM automation.workflow_notifications WHERE notification_data ->> 'queue' = 'Q_CLAIMS'),
    '2 overdue task(s) escalated to level 1 in queue Q_CLAIMS', 'the subject says how many tasks escalated where');
SELECT is((SELECT count(*)::int FROM automation.workflow_notifications WHERE notification_data ->> 'queue' = 'Q_OTHER'), 0,
    'a level without notify_role queues no notification');

CREATE TEMP TABLE c AS SELECT * FROM automation.claim_notifications('n1', 10, 60);
SELECT is((SELECT count(*)::int FROM c WHERE notification_type = 'task_escalation'), 2,
    'the notifier leases the escalation notifications');

UPDATE flowable.workflow_tasks SET escalated_at = now() - interval '2 hours' WHERE task_id = 't-a';
CALL flowable.escalate_overdue_tasks();
SELECT is((SELECT count(*)::int FROM automation.workflow_notifications), 2,
    'a level without notify_role (level 2 here) queues nothing more');

SELECT * FROM finish();
ROLLBACK;
