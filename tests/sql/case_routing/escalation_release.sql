-- An escalation level with "release": true hands the task back to its queue: no holder, no owner
-- (claimed_by and claimed_at cleared, as unclaim_task does), so the former holder keeps no sight
-- of it through claimed_by, and the ESCALATE row names the released holder as old_assignee.
BEGIN;
SELECT plan(3);

SELECT tests.cr_world();
UPDATE flowable.workflow_queues SET escalation_config = '{"levels": {"1": {"release": true}}}' WHERE queue_name = 'Q_FRAUD';
SELECT tests.cr_task('rl1', 'Q_FRAUD', ARRAY['FRAUD_AGENT'], 'CLAIMED', 'bob', p_due_date => now() - interval '1 hour');
CALL flowable.escalate_overdue_tasks();

SELECT results_eq(
    $$SELECT status::text, assignee_id, claimed_by, claimed_at FROM flowable.workflow_tasks WHERE task_id = 'rl1'$$,
    $$VALUES ('ESCALATED', NULL::varchar, NULL::varchar, NULL::timestamptz)$$,
    'the released task has no holder and no owner');
SELECT results_eq(
    $$SELECT old_status::text, new_status::text, old_assignee::text, new_assignee FROM flowable.task_history
      WHERE task_id = 'rl1' AND action_type = 'ESCALATE'$$,
    $$VALUES ('CLAIMED', 'ESCALATED', 'bob', NULL::varchar)$$,
    'the ESCALATE row records the release from bob');

DELETE FROM entitlements.user_workflow_roles WHERE user_id = 'bob';
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('bob');
SELECT is_empty($$SELECT task_id FROM flowable.workflow_tasks WHERE task_id = 'rl1'$$,
    'bob, no longer working the queue, does not see the task he was released from');
SELECT * FROM finish();
ROLLBACK;
