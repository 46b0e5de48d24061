-- workflow_queues.current_load is never NULL: a NULL count would switch off create_task's
-- capacity check and the counter itself (NULL + 1 is NULL).
BEGIN;
SELECT plan(3);

SELECT col_not_null('flowable', 'workflow_queues', 'current_load', 'current_load is NOT NULL');
SELECT throws_ok($$INSERT INTO flowable.workflow_queues (queue_name, max_capacity, current_load) VALUES ('Q_NULL', 1, NULL)$$,
    '23502', NULL, 'a queue with a NULL count is refused');
SELECT tests.cr_queue('Q_NEW');
SELECT is((SELECT current_load FROM flowable.workflow_queues WHERE queue_name = 'Q_NEW'), 0, 'a new queue counts from 0');

SELECT * FROM finish();
ROLLBACK;
