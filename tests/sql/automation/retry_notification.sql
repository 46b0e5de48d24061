-- retry_notification: a failed notification is pending again and deliverable at once, its
-- attempts and last error kept; anything but a failed one is refused.
BEGIN;
SELECT plan(7);

INSERT INTO automation.workflow_notifications (notification_type, channel, notification_data)
VALUES ('error_alert', 'email', '{"maxRetries": 0}');
CREATE TEMP TABLE c AS SELECT * FROM automation.claim_notifications('n1');
SELECT is(automation.mark_notification_failed((SELECT id FROM c), 'SMTP 550', true, 'n1'), 'failed', 'the notifier gives up');

SELECT throws_ok($$SELECT automation.retry_notification(NULL)$$, 'PW400', NULL, 'a notification must be named');
SELECT throws_ok($$SELECT automation.retry_notification(gen_random_uuid())$$, 'PW404', NULL, 'an unknown notification is not found');
SELECT is(automation.retry_notification((SELECT id FROM c)), 'pending', 'a failed notification is retried');
SELECT results_eq($$SELECT status::text, retry_count, error_details, next_attempt_at IS NULL, lease_owner IS NULL
                    FROM automation.workflow_notifications WHERE id = (SELECT id FROM c)$$,
    $$VALUES ('pending', 1, 'SMTP 550', true, true)$$, 'it is deliverable at once, its attempts and last error kept');
SELECT is((SELECT count(*) FROM automation.claim_notifications('n1')), 1::bigint, 'the notifier leases it again');
SELECT throws_ok($$SELECT automation.retry_notification((SELECT id FROM c))$$, 'PW409',
    format('notification %s is pending: only a failed notification can be retried', (SELECT id FROM c)),
    'a pending notification is not retried');

SELECT * FROM finish();
ROLLBACK;
