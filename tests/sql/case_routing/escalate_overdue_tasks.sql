-- flowable.escalate_overdue_tasks: set-based, honours escalation_config, records the true old
-- status, climbs one level per run up to 3, and leaves escalated tasks claimable.
BEGIN;
SELECT plan(21);

SELECT tests.cr_world();
UPDATE flowable.workflow_queues
SET escalation_config = '{"max_level": 1, "levels": {"1": {"priority_boost": 10, "move_to_queue": "Q_OTHER", "release": true, "notify_role": "CLAIMS_SUPERVISOR", "extend_due_minutes": 30}}}'
WHERE queue_name = 'Q_FRAUD';
UPDATE flowable.workflow_queues SET escalation_config = '{"enabled": false}' WHERE queue_name = 'Q_OTHER';

SELECT tests.cr_task('t-open', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], p_due_date => now() - interval '3 hours',
                     p_created_at => now() - interval '4 hours');
SELECT tests.cr_task('t-claimed', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice', p_due_date => now() - interval '3 hours');
SELECT tests.cr_task('t-not-due', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], p_due_date => now() + interval '1 hour');
SELECT tests.cr_task('t-no-due', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
SELECT tests.cr_task('t-done', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'COMPLETED', 'alice', p_due_date => now() - interval '3 hours');
SELECT tests.cr_task('t-fraud', 'Q_FRAUD', ARRAY['FRAUD_AGENT'], 'CLAIMED', 'bob', p_due_date => now() - interval '2 hours');
SELECT tests.cr_task('t-other', 'Q_OTHER', NULL, p_due_date => now() - interval '2 hours');

SET LOCAL ROLE pgwf_test_worker;
SELECT lives_ok('CALL flowable.escalate_overdue_tasks()', 'a worker may run the escalation');
RESET ROLE;

SELECT results_eq(
    $$SELECT task_id::text, status::text, escalation_level, assignee_id::text FROM flowable.workflow_tasks
      WHERE queue_name = 'Q_CLAIMS' ORDER BY task_id$$,
    $$VALUES ('t-claimed', 'ESCALATED', 1, 'alice'), ('t-done', 'COMPLETED', 0, 'alice'),
             ('t-no-due', 'OPEN', 0, NULL), ('t-not-due', 'OPEN', 0, NULL), ('t-open', 'ESCALATED', 1, NULL)$$,
    'overdue OPEN and CLAIMED tasks reach level 1; finished, not-yet-due and undated tasks are untouched');
-- The spec reads old_status after its UPDATE, so it always records ESCALATED.
SELECT results_eq(
    $$SELECT task_id::text, action_type::text, action_by::text, old_status::text, new_status::text, old_assignee::text, new_assignee::text
      FROM flowable.task_history WHERE task_id IN ('t-open', 't-claimed') ORDER BY task_id$$,
    $$VALUES ('t-claimed', 'ESCALATE', 'SYSTEM', 'CLAIMED', 'ESCALATED', 'alice', 'alice'),
             ('t-open', 'ESCALATE', 'SYSTEM', 'OPEN', 'ESCALATED', NULL, NULL)$$,
    'each escalation writes one history row with the true old status and assignee');
SELECT ok((SELECT escalated_at IS NOT NULL FROM flowable.workflow_tasks WHERE task_id = 't-open'),
    'escalated_at is set');

CALL flowable.escalate_overdue_tasks();
SELECT is((SELECT count(*)::int FROM flowable.task_history WHERE task_id = 't-open'), 1,
    'a second run within repeat_after_minutes (default 60) does not escalate again');

UPDATE flowable.workflow_tasks SET escalated_at = now() - interval '61 minutes' WHERE task_id IN ('t-open', 't-claimed');
CALL flowable.escalate_overdue_tasks();
-- The spec's ESCALATED status takes tasks out of its own OPEN/CLAIMED filter: they never pass level 1.
SELECT results_eq(
    $$SELECT task_id::text, escalation_level FROM flowable.workflow_tasks WHERE task_id IN ('t-open', 't-claimed') ORDER BY task_id$$,
    $$VALUES ('t-claimed', 2), ('t-open', 2)$$,
    'after repeat_after_minutes an escalated task that is still overdue climbs to level 2');
SELECT results_eq(
    $$SELECT old_status::text, new_status::text, (action_data->>'level')::int FROM flowable.task_history
      WHERE task_id = 't-open' ORDER BY history_id$$,
    $$VALUES ('OPEN', 'ESCALATED', 1), ('ESCALATED', 'ESCALATED', 2)$$,
    'the second escalation records ESCALATED as its true old status and level 2');

UPDATE flowable.workflow_tasks SET escalated_at = now() - interval '61 minutes' WHERE task_id IN ('t-open', 't-claimed');
CALL flowable.escalate_overdue_tasks();
UPDATE flowable.workflow_tasks SET escalated_at = now() - interval '61 minutes' WHERE task_id IN ('t-open', 't-claimed');
CALL flowable.escalate_overdue_tasks();
SELECT results_eq(
    $$SELECT task_id::text, escalation_level FROM flowable.workflow_tasks WHERE task_id IN ('t-open', 't-claimed') ORDER BY task_id$$,
    $$VALUES ('t-claimed', 3), ('t-open', 3)$$,
    'escalation stops at level 3');
SELECT is((SELECT count(*)::int FROM flowable.task_history WHERE task_id = 't-open' AND action_type = 'ESCALATE'), 3,
    'one ESCALATE row per level reached');

-- Per-level settings of the queue's escalation_config.
SELECT results_eq(
    $$SELECT queue_name::text, status::text, assignee_id::text, priority, escalation_level
      FROM flowable.workflow_tasks WHERE task_id = 't-fraud'$$,
    $$VALUES ('Q_OTHER', 'ESCALATED', NULL, 60, 1)$$,
    'level settings move the task, release its assignee and raise its priority');
SELECT ok((SELECT due_date > now() - interval '2 hours' + interval '29 minutes'
                  AND due_date < now() - interval '2 hours' + interval '31 minutes'
           FROM flowable.workflow_tasks WHERE task_id = 't-fraud'),
    'extend_due_minutes pushes the due date back by 30 minutes');
SELECT results_eq(
    $$SELECT old_status::text, new_status::text, old_assignee::text, new_assignee::text, escalate_to::text,
             action_data->>'notify_role'
      FROM flowable.task_history WHERE task_id = 't-fraud'$$,
    $$VALUES ('CLAIMED', 'ESCALATED', 'bob', NULL, 'Q_OTHER', 'CLAIMS_SUPERVISOR')$$,
    'the history row names the old assignee, the target queue and the role to notify');
SELECT results_eq(
    $$SELECT queue_name::text, current_load FROM flowable.workflow_queues WHERE queue_name IN ('Q_FRAUD', 'Q_OTHER') ORDER BY 1$$,
    $$VALUES ('Q_FRAUD', 0), ('Q_OTHER', 2)$$,
    'moving a task between queues moves its count in current_load');
SELECT is((SELECT status::text FROM flowable.workflow_tasks WHERE task_id = 't-other'), 'OPEN',
    'a queue whose escalation_config says enabled: false does not escalate');

UPDATE flowable.workflow_queues SET escalation_config = '{"max_level": 1}' WHERE queue_name = 'Q_OTHER';
UPDATE flowable.workflow_tasks SET escalated_at = now() - interval '2 hours' WHERE task_id = 't-fraud';
CALL flowable.escalate_overdue_tasks();
SELECT results_eq(
    $$SELECT task_id::text, escalation_level FROM flowable.workflow_tasks WHERE queue_name = 'Q_OTHER' ORDER BY 1$$,
    $$VALUES ('t-fraud', 1), ('t-other', 1)$$,
    'max_level 1 keeps an escalated task at level 1 and lets a new one reach it');

-- Escalated tasks stay claimable (the spec's claim only takes OPEN tasks).
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT results_eq(
    $$SELECT task_id::text FROM flowable.claim_next_task('alice', ARRAY['Q_CLAIMS'])$$,
    $$VALUES ('t-open')$$,
    'alice claims the escalated unassigned task');
RESET ROLE;
SELECT results_eq(
    $$SELECT status::text, assignee_id::text, escalation_level FROM flowable.workflow_tasks WHERE task_id = 't-open'$$,
    $$VALUES ('CLAIMED', 'alice', 3)$$,
    'the claimed task keeps its escalation level');

-- Set-based: the body is SQL statements, no FOR loop over tasks.
SELECT ok((SELECT prosrc !~* '\mLOOP\M' FROM pg_proc WHERE oid = 'flowable.escalate_overdue_tasks'::regproc),
    'escalate_overdue_tasks does not loop row by row');
SELECT is((SELECT prokind::text FROM pg_proc WHERE oid = 'flowable.escalate_overdue_tasks'::regproc), 'p',
    'escalate_overdue_tasks is a procedure, as the spec declares');

-- A task finished concurrently is never escalated: completed rows do not match.
SELECT is((SELECT count(*)::int FROM flowable.task_history WHERE task_id = 't-done'), 0,
    'a completed task gets no escalation history');
SELECT is((SELECT count(*)::int FROM flowable.task_history WHERE task_id IN ('t-not-due', 't-no-due')), 0,
    'tasks that are not overdue get no escalation history');

SELECT * FROM finish();
ROLLBACK;
