-- Renaming a queue moves no case: its tasks follow the new name (ON UPDATE CASCADE), but neither
-- a finished task nor an open one becomes a routing step, so a case's phase, department and
-- routing history stay as they were. A real move to another queue still is a routing step.
BEGIN;
SELECT plan(5);

SELECT tests.cr_world();
SELECT tests.cr_process('p7', p_case_id => 7);
INSERT INTO onecms.case_workflow_mapping (case_id, process_instance_id, workflow_type, initiated_by)
VALUES (7, 'p7', 'test_process', 'alice');
-- the case's current work (review, in Q_CLAIMS), an older open branch and a finished task in Q_OTHER
INSERT INTO flowable.workflow_tasks (task_id, process_instance_id, task_definition_key, task_name, queue_name, status)
VALUES ('branch', 'p7', 'intake', 'Intake', 'Q_OTHER', 'OPEN'),
       ('old', 'p7', 'triage', 'Triage', 'Q_OTHER', 'COMPLETED'),
       ('now', 'p7', 'review', 'Review', 'Q_CLAIMS', 'OPEN');
UPDATE onecms.case_workflow_mapping SET current_phase = 'review', current_department = 'CLAIMS', routing_history = '[]'
WHERE case_id = 7;

UPDATE flowable.workflow_queues SET queue_name = 'Q_OTHER_RENAMED' WHERE queue_name = 'Q_OTHER';

SELECT is((SELECT count(*)::int FROM flowable.workflow_tasks WHERE queue_name = 'Q_OTHER_RENAMED'), 2,
    'both tasks of the renamed queue carry its new name');
SELECT results_eq(
    $$SELECT current_phase::text, current_department::text, jsonb_array_length(routing_history)
      FROM onecms.case_workflow_mapping WHERE case_id = 7$$,
    $$VALUES ('review', 'CLAIMS', 0)$$,
    'the rename left the case''s phase, department and routing history as they were');

-- a move is still a routing step
UPDATE flowable.workflow_tasks SET queue_name = 'Q_FRAUD' WHERE task_id = 'now';
SELECT results_eq(
    $$SELECT e ->> 'task_id', e ->> 'from_queue', e ->> 'queue'
      FROM onecms.case_workflow_mapping, jsonb_array_elements(routing_history) e WHERE case_id = 7$$,
    $$VALUES ('now', 'Q_CLAIMS', 'Q_FRAUD')$$, 'moving the open task to another queue is one routing entry');
SELECT is((SELECT current_phase::text FROM onecms.case_workflow_mapping WHERE case_id = 7), 'review',
    'with the phase of the moved task');
-- a finished task moved by hand is none
UPDATE flowable.workflow_tasks SET queue_name = 'Q_CLAIMS' WHERE task_id = 'old';
SELECT is((SELECT jsonb_array_length(routing_history) FROM onecms.case_workflow_mapping WHERE case_id = 7), 1,
    'moving a finished task adds no routing entry');

SELECT * FROM finish();
ROLLBACK;
