-- workflow_queues.current_load is kept equal to the number of unfinished tasks
-- (OPEN, CLAIMED, DELEGATED, ESCALATED) of each queue by triggers on workflow_tasks.
BEGIN;
SELECT plan(8);

SELECT tests.cr_world();
CREATE TEMP VIEW load AS
SELECT q.queue_name::text, q.current_load,
       (SELECT count(*)::int FROM flowable.workflow_tasks t
        WHERE t.queue_name = q.queue_name AND t.status IN ('OPEN', 'CLAIMED', 'DELEGATED', 'ESCALATED')) AS true_load
FROM flowable.workflow_queues q;

SELECT tests.cr_task('a', 'Q_CLAIMS');
SELECT tests.cr_task('b', 'Q_CLAIMS', NULL, 'CLAIMED', 'alice');
SELECT tests.cr_task('c', 'Q_CLAIMS', NULL, 'COMPLETED', 'alice');
SELECT tests.cr_task('d', 'Q_FRAUD');
SELECT results_eq($$SELECT queue_name, current_load FROM load ORDER BY 1$$,
    $$VALUES ('Q_CLAIMS', 2), ('Q_FRAUD', 1), ('Q_OTHER', 0)$$,
    'inserting tasks counts the unfinished ones');
UPDATE flowable.workflow_tasks SET status = 'CLAIMED', assignee_id = 'alice' WHERE task_id = 'a';
UPDATE flowable.workflow_tasks SET status = 'ESCALATED' WHERE task_id = 'a';
SELECT is((SELECT current_load FROM load WHERE queue_name = 'Q_CLAIMS'), 2, 'claiming and escalating keep the count');
UPDATE flowable.workflow_tasks SET status = 'COMPLETED' WHERE task_id = 'a';
SELECT is((SELECT current_load FROM load WHERE queue_name = 'Q_CLAIMS'), 1, 'completing a task takes it out of the count');
UPDATE flowable.workflow_tasks SET status = 'OPEN', assignee_id = NULL WHERE task_id = 'c';
SELECT is((SELECT current_load FROM load WHERE queue_name = 'Q_CLAIMS'), 2, 'a finished task made unfinished again counts again');
UPDATE flowable.workflow_tasks SET queue_name = 'Q_OTHER' WHERE task_id = 'd';
SELECT results_eq($$SELECT queue_name, current_load FROM load WHERE queue_name IN ('Q_FRAUD', 'Q_OTHER') ORDER BY 1$$,
    $$VALUES ('Q_FRAUD', 0), ('Q_OTHER', 1)$$,
    'moving a task to another queue moves its count');
UPDATE flowable.workflow_tasks SET status = 'CANCELLED', queue_name = 'Q_FRAUD' WHERE task_id = 'd';
SELECT results_eq($$SELECT queue_name, current_load FROM load WHERE queue_name IN ('Q_FRAUD', 'Q_OTHER') ORDER BY 1$$,
    $$VALUES ('Q_FRAUD', 0), ('Q_OTHER', 0)$$,
    'cancelling while moving takes the task out of its old queue and does not count it in the new one');
DELETE FROM flowable.workflow_tasks WHERE task_id = 'b';
SELECT is((SELECT current_load FROM load WHERE queue_name = 'Q_CLAIMS'), 1, 'deleting an unfinished task uncounts it');
SELECT is_empty($$SELECT * FROM load WHERE current_load <> true_load$$, 'every queue''s current_load equals its true load');

SELECT * FROM finish();
ROLLBACK;
