-- Whole numbers written with a fraction part (10.0) pass the escalation_config check, so
-- escalation applies them; queue and role names up to their column's 100 characters are
-- recorded in task_history.escalate_to; a longer name is refused when the config is saved.
BEGIN;
SELECT plan(8);

SELECT tests.cr_world();
SELECT tests.cr_queue('Q_SENIOR_CLAIMS_HANDLING_FOR_HIGH_VALUE_CASES_AND_LITIGATION_REVIEW', 'CLAIMS');
UPDATE flowable.workflow_queues
SET escalation_config = '{"max_level": 2.0, "repeat_after_minutes": 60.0, "levels": {"1": {"priority_boost": 10.0, "extend_due_minutes": 30.0}}}'
WHERE queue_name = 'Q_OTHER';
UPDATE flowable.workflow_queues
SET escalation_config = '{"levels": {"1": {"move_to_queue": "Q_SENIOR_CLAIMS_HANDLING_FOR_HIGH_VALUE_CASES_AND_LITIGATION_REVIEW"}}}'
WHERE queue_name = 'Q_FRAUD';
SELECT tests.cr_task('e1', 'Q_OTHER', NULL, p_due_date => now() - interval '1 hour');
SELECT tests.cr_task('e2', 'Q_FRAUD', NULL, p_due_date => now() - interval '1 hour');
SELECT tests.cr_task('e3', 'Q_CLAIMS', NULL, p_due_date => now() - interval '1 hour');

SELECT lives_ok($$CALL flowable.escalate_overdue_tasks()$$, 'escalation runs with whole numbers written as 10.0');
SELECT results_eq(
    $$SELECT task_id::text, status::text, escalation_level, priority FROM flowable.workflow_tasks
      WHERE task_id IN ('e1', 'e2', 'e3') ORDER BY 1$$,
    $$VALUES ('e1', 'ESCALATED', 1, 60), ('e2', 'ESCALATED', 1, 50), ('e3', 'ESCALATED', 1, 50)$$,
    'every overdue task of every queue was escalated, e1 with its priority boost of 10.0');
SELECT is((SELECT due_date FROM flowable.workflow_tasks WHERE task_id = 'e1'), now() - interval '30 minutes',
    'the due date (an hour ago) was extended by 30.0 minutes');
SELECT is((SELECT queue_name::text FROM flowable.workflow_tasks WHERE task_id = 'e2'),
    'Q_SENIOR_CLAIMS_HANDLING_FOR_HIGH_VALUE_CASES_AND_LITIGATION_REVIEW', 'e2 moved to the queue with the long name');
SELECT is((SELECT escalate_to::text FROM flowable.task_history WHERE task_id = 'e2' AND action_type = 'ESCALATE'),
    'Q_SENIOR_CLAIMS_HANDLING_FOR_HIGH_VALUE_CASES_AND_LITIGATION_REVIEW', 'its ESCALATE row names the whole queue name');

SELECT throws_ok(
    format($$UPDATE flowable.workflow_queues SET escalation_config = '{"levels": {"1": {"notify_role": "%s"}}}'
             WHERE queue_name = 'Q_CLAIMS'$$, repeat('R', 101)),
    'PW422', NULL, 'a notify_role longer than a role code can be is refused');
SELECT throws_ok(
    format($$UPDATE flowable.workflow_queues SET escalation_config = '{"levels": {"2": {"move_to_queue": "%s"}}}'
             WHERE queue_name = 'Q_CLAIMS'$$, repeat('Q', 101)),
    'PW422', NULL, 'a move_to_queue longer than a queue name can be is refused');
SELECT throws_ok(
    $$UPDATE flowable.workflow_queues SET escalation_config = '{"levels": {"1": {"priority_boost": 10.5}}}'
      WHERE queue_name = 'Q_CLAIMS'$$,
    'PW422', NULL, 'a fractional priority_boost is still refused');

SELECT * FROM finish();
ROLLBACK;
