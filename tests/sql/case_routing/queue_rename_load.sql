-- Renaming a queue (its tasks follow through the ON UPDATE CASCADE foreign key) keeps
-- current_load equal to the queue's unfinished tasks: the queue row is the same, so is its load.
BEGIN;
SELECT plan(6);

SELECT tests.cr_world();
SELECT tests.cr_task('r1', 'Q_OTHER');
SELECT tests.cr_task('r2', 'Q_OTHER', NULL, 'CLAIMED', 'alice');
SELECT tests.cr_task('r3', 'Q_OTHER', NULL, 'COMPLETED', 'alice');
SELECT is((SELECT current_load FROM flowable.workflow_queues WHERE queue_name = 'Q_OTHER'), 2,
    'two unfinished tasks before the rename');

UPDATE flowable.workflow_queues SET queue_name = 'Q_OTHER_RENAMED' WHERE queue_name = 'Q_OTHER';

SELECT is((SELECT count(*)::int FROM flowable.workflow_tasks WHERE queue_name = 'Q_OTHER_RENAMED'), 3,
    'the tasks followed the queue to its new name');
SELECT is((SELECT current_load FROM flowable.workflow_queues WHERE queue_name = 'Q_OTHER_RENAMED'), 2,
    'current_load is still 2 after the rename');

-- a task moved between two existing queues still moves its count
SELECT tests.cr_task('r4', 'Q_CLAIMS');
UPDATE flowable.workflow_tasks SET queue_name = 'Q_OTHER_RENAMED' WHERE task_id = 'r4';
SELECT results_eq(
    $$SELECT queue_name::text, current_load FROM flowable.workflow_queues
      WHERE queue_name IN ('Q_CLAIMS', 'Q_OTHER_RENAMED') ORDER BY 1$$,
    $$VALUES ('Q_CLAIMS', 0), ('Q_OTHER_RENAMED', 3)$$,
    'a task moved to another queue leaves one count and adds to the other');

-- one statement that moves a queue's tasks and deletes the emptied queue keeps the moved counts
SELECT tests.cr_queue('Q_OLD', 'CLAIMS');
SELECT tests.cr_task('m1', 'Q_OLD'), tests.cr_task('m2', 'Q_OLD', NULL, 'CLAIMED', 'alice');
WITH moved AS (UPDATE flowable.workflow_tasks SET queue_name = 'Q_CLAIMS' WHERE queue_name = 'Q_OLD' RETURNING 1)
DELETE FROM flowable.workflow_queues WHERE queue_name = 'Q_OLD' AND (SELECT count(*) FROM moved) = 2;
SELECT is((SELECT count(*)::int FROM flowable.workflow_queues WHERE queue_name = 'Q_OLD'), 0, 'the emptied queue is gone');
SELECT is((SELECT current_load FROM flowable.workflow_queues WHERE queue_name = 'Q_CLAIMS'), 2,
    'the queue its tasks moved to counts them');

SELECT * FROM finish();
ROLLBACK;
