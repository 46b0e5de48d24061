-- A task node whose queue (and overflow) is at capacity cannot open its task: the run fails
-- at once, naming the node and the queue, instead of waiting for room (docs/graph-model.md).
BEGIN;
SELECT plan(3);

SELECT tests.cr_queue('full_q'), tests.cr_user('alice');
UPDATE flowable.workflow_queues SET max_capacity = 0 WHERE queue_name = 'full_q';

CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["review", "task", {"queueName": "full_q"}], ["done", "end"]]',
    '[["start", "review"], ["review", "done"]]')) AS id;
CREATE TEMP TABLE r AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;

SELECT is((SELECT status::text FROM automation.workflow_instances WHERE id = (SELECT id FROM r)), 'failed',
    'a run whose task node meets a full queue fails');
SELECT alike((SELECT error_details FROM automation.workflow_instances WHERE id = (SELECT id FROM r)),
    'node review could not open its queue task: create_task: queue full_q is at capacity%',
    'the run''s error names the node and the full queue');
SELECT is((SELECT count(*)::int FROM flowable.workflow_tasks WHERE queue_name = 'full_q'), 0,
    'no task is left in the full queue');

SELECT * FROM finish();
ROLLBACK;
