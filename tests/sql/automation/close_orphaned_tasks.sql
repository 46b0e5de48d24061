-- run_maintenance's close_orphaned_tasks cancels queue tasks whose engine step is already closed,
-- each on its own: one it cannot cancel (here: its queue's current_load was edited to 0 by hand,
-- so the count would go below zero) is reported and left, and the others are still cancelled.
BEGIN;
SELECT plan(6);

SELECT tests.cr_queue('ops_q'), tests.cr_queue('sec_q'), tests.cr_role('ops', 'ops_q'), tests.cr_role('sec', 'sec_q');
SELECT tests.cr_user('alice');
CREATE TEMP TABLE wf AS
SELECT tests.automation_deployed(tests.automation_graph(
           format('[["start", "trigger"], ["ask", "approval", {"approverRole": "%s"}], ["y", "end"], ["n", "end"]]', r)::jsonb,
           '[["start", "ask"], ["ask", "y", "approved"], ["ask", "n", "rejected"]]'::jsonb), NULL, 'orphans ' || r) AS id, r
FROM unnest(ARRAY['ops', 'sec']) AS r;
CREATE TEMP TABLE runs AS SELECT tests.automation_start(id) AS id, r FROM wf;
-- both steps closed behind their tasks' backs, as when a cancel had to skip a locked task
UPDATE automation.workflow_executions SET status = 'failed', error_message = 'run cancelled by alice: stop'
WHERE instance_id IN (SELECT id FROM runs) AND node_id = 'ask';
UPDATE flowable.workflow_queues SET current_load = 0 WHERE queue_name = 'ops_q';
-- a task of another run whose task_data names one of those closed steps is no orphan
SELECT tests.cr_task('stranger', 'sec_q', NULL, p_process_instance_id => 'not-an-engine-run');
UPDATE flowable.workflow_tasks
SET task_data = jsonb_build_object('execution_id', (SELECT we.id FROM automation.workflow_executions we
                                                    JOIN runs ON runs.id = we.instance_id
                                                    WHERE runs.r = 'sec' AND we.node_id = 'ask'))
WHERE task_id = 'stranger';

SELECT is(automation.close_orphaned_tasks(), 1, 'one orphaned task is cancelled, the other cannot be');
SELECT is((SELECT status::text FROM flowable.workflow_tasks WHERE task_id = 'stranger'), 'OPEN',
    'a task naming a step of another run is left alone');
SELECT results_eq(
    $$SELECT t.queue_name::text, t.status::text FROM flowable.workflow_tasks t WHERE t.task_id <> 'stranger' ORDER BY 1$$,
    $$VALUES ('ops_q', 'OPEN'), ('sec_q', 'CANCELLED')$$,
    'the task of the queue with the broken count stays open; the other is cancelled');
SELECT results_eq(
    $$SELECT action_type::text, action_by::text, old_status::text, new_status::text, comments
      FROM flowable.task_history WHERE action_type = 'CANCEL'$$,
    $$VALUES ('CANCEL', 'SYSTEM', 'OPEN', 'CANCELLED', 'run cancelled by alice: stop')$$,
    'with one CANCEL history row giving the step''s reason');

UPDATE flowable.workflow_queues SET current_load = 1 WHERE queue_name = 'ops_q';
SELECT is(automation.close_orphaned_tasks(), 1, 'once the count is repaired, the next call cancels the other');
SELECT is(automation.close_orphaned_tasks(), 0, 'and then there is nothing left to close');

SELECT * FROM finish();
ROLLBACK;
