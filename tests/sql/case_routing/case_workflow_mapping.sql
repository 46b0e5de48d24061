-- onecms.case_workflow_mapping is kept current: department and phase follow the case's task,
-- routing_history gets one entry per queue change, actual_completion is set when the run ends.
BEGIN;
SELECT plan(7);

SELECT tests.cr_world();
SELECT tests.cr_process('p1', p_case_id => 42);
UPDATE flowable.process_instances SET sla_due_date = '2030-01-01 00:00+00' WHERE process_instance_id = 'p1';
INSERT INTO onecms.case_workflow_mapping (case_id, process_instance_id, workflow_type, initiated_by)
VALUES (42, 'p1', 'test_process', 'alice');

SELECT tests.as_user('alice');
SELECT flowable.create_task('p1', 'triage', 'Triage', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']) AS task_id \gset
SELECT results_eq(
    $$SELECT current_department::text, current_phase::text, jsonb_array_length(routing_history),
             routing_history -> 0 ->> 'event', routing_history -> 0 ->> 'queue', routing_history -> 0 ->> 'by'
      FROM onecms.case_workflow_mapping WHERE case_id = 42$$,
    $$VALUES ('CLAIMS', 'triage', 1, 'task_created', 'Q_CLAIMS', 'alice')$$,
    'a new task sets the case''s department and phase and is the first routing entry');

SELECT tests.as_user('carol');
SET LOCAL ROLE pgwf_test_app;
SELECT flowable.reassign_task(:'task_id', NULL, 'Q_FRAUD');
RESET ROLE;
SELECT results_eq(
    $$SELECT jsonb_array_length(routing_history), routing_history -> 1 ->> 'event', routing_history -> 1 ->> 'from_queue',
             routing_history -> 1 ->> 'queue', routing_history -> 1 ->> 'by'
      FROM onecms.case_workflow_mapping WHERE case_id = 42$$,
    $$VALUES (2, 'queue_changed', 'Q_CLAIMS', 'Q_FRAUD', 'carol')$$,
    'a reassignment to another queue appends one routing entry naming both queues');

UPDATE flowable.workflow_queues SET escalation_config = '{"levels": {"1": {"move_to_queue": "Q_OTHER"}}}' WHERE queue_name = 'Q_FRAUD';
UPDATE flowable.workflow_tasks SET due_date = now() - interval '1 hour' WHERE task_id = :'task_id';
CALL flowable.escalate_overdue_tasks();
SELECT results_eq(
    $$SELECT current_department::text, jsonb_array_length(routing_history), routing_history -> 2 ->> 'queue'
      FROM onecms.case_workflow_mapping WHERE case_id = 42$$,
    $$VALUES ('OTHER', 3, 'Q_OTHER')$$,
    'an escalation that moves the task is a routing step too');
UPDATE flowable.workflow_tasks SET priority = 99 WHERE task_id = :'task_id';
SELECT is((SELECT jsonb_array_length(routing_history) FROM onecms.case_workflow_mapping WHERE case_id = 42), 3,
    'changes that keep the queue add no routing entry');

UPDATE flowable.process_instances SET sla_due_date = '2031-01-01 00:00+00' WHERE process_instance_id = 'p1';
SELECT is((SELECT expected_completion FROM onecms.case_workflow_mapping WHERE case_id = 42), '2031-01-01 00:00+00'::timestamptz,
    'expected_completion follows the run''s SLA date');
UPDATE flowable.process_instances SET status = 'COMPLETED', completed_at = '2030-06-01 12:00+00' WHERE process_instance_id = 'p1';
SELECT results_eq(
    $$SELECT actual_completion, current_phase::text, routing_history -> -1 ->> 'event' FROM onecms.case_workflow_mapping WHERE case_id = 42$$,
    $$VALUES ('2030-06-01 12:00+00'::timestamptz, 'COMPLETED', 'process_completed')$$,
    'when the run completes the case records its actual completion');
SELECT is((SELECT count(*)::int FROM onecms.case_workflow_mapping WHERE actual_completion IS NULL), 0,
    'no mapping of a finished run is left open');

SELECT * FROM finish();
ROLLBACK;
