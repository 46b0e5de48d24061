-- Renaming a queue moves its tasks to the new name (ON UPDATE CASCADE). For a case, only its
-- unfinished task's move is a routing step: a task finished long ago does not set the case's
-- phase back to its own step, nor add a routing entry.
BEGIN;
SELECT plan(3);

SELECT tests.cr_world();
SELECT tests.cr_process('p7', p_case_id => 7);
INSERT INTO onecms.case_workflow_mapping (case_id, process_instance_id, workflow_type, initiated_by)
VALUES (7, 'p7', 'test_process', 'alice');
INSERT INTO flowable.workflow_tasks (task_id, process_instance_id, task_definition_key, task_name, queue_name, status)
VALUES ('old', 'p7', 'intake', 'Intake', 'Q_OTHER', 'COMPLETED'),
       ('now', 'p7', 'review', 'Review', 'Q_OTHER', 'OPEN');
UPDATE onecms.case_workflow_mapping SET current_phase = 'review', routing_history = '[]' WHERE case_id = 7;

UPDATE flowable.workflow_queues SET queue_name = 'Q_OTHER_RENAMED' WHERE queue_name = 'Q_OTHER';

SELECT is((SELECT current_phase::text FROM onecms.case_workflow_mapping WHERE case_id = 7), 'review',
    'the case stays in the phase of its open task');
SELECT results_eq(
    $$SELECT e ->> 'task_id', e ->> 'from_queue', e ->> 'queue'
      FROM onecms.case_workflow_mapping, jsonb_array_elements(routing_history) e WHERE case_id = 7$$,
    $$VALUES ('now', 'Q_OTHER', 'Q_OTHER_RENAMED')$$,
    'one routing entry, for the open task, naming the old and the new queue name');
SELECT is((SELECT count(*)::int FROM flowable.workflow_tasks WHERE queue_name = 'Q_OTHER_RENAMED'), 2,
    'both tasks carry the new queue name');

SELECT * FROM finish();
ROLLBACK;
