-- trigger_update_workflow_progress (automation.update_workflow_instance_progress): progress and
-- current_step follow the run's steps, inserted or updated; skipped steps are not steps of the
-- run; nodes still ahead of the open steps count; 100 and completed_at belong to completion.
BEGIN;
SELECT plan(14);

SELECT has_trigger('automation', 'workflow_executions', 'trigger_update_workflow_progress',
    'workflow_executions has trigger_update_workflow_progress');
SELECT trigger_is('automation', 'workflow_executions', 'trigger_update_workflow_progress',
    'automation', 'update_workflow_instance_progress', 'the trigger runs automation.update_workflow_instance_progress');

CREATE TEMP TABLE ids AS SELECT tests.automation_workflow() AS wf;
ALTER TABLE ids ADD COLUMN run uuid, ADD COLUMN a uuid, ADD COLUMN b uuid, ADD COLUMN c uuid;
-- the graph first: once the version has a run it cannot change
SELECT tests.automation_node(wf, 'd', 'approval') FROM ids;
SELECT tests.automation_node(wf, 'e', 'action') FROM ids;
SELECT tests.automation_node(wf, 'f', 'notification') FROM ids;
SELECT tests.automation_edge(wf, 'd', 'e') FROM ids;
SELECT tests.automation_edge(wf, 'e', 'f') FROM ids;
UPDATE ids SET run = tests.automation_instance(wf);

-- a step inserted already completed, next to one inserted open
UPDATE ids SET a = tests.automation_execution(run, 'a', 'completed');
UPDATE ids SET b = tests.automation_execution(run, 'b', 'running');
SELECT is((SELECT progress FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)), 50,
    'inserting steps updates progress: one of two steps done is 50');
SELECT is((SELECT current_step FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)), 'b',
    'current_step is the open step');

-- a skipped step is on a branch the run does not take
UPDATE ids SET c = tests.automation_execution(run, 'c', 'skipped');
SELECT is((SELECT progress FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)), 50,
    'a skipped step counts neither as done nor as a step of the run');

UPDATE automation.workflow_executions SET status = 'completed' WHERE id = (SELECT b FROM ids);
SELECT is((SELECT progress FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)), 99,
    'every step done but the run not yet completed by the engine: 99, never 100');
SELECT is((SELECT completed_at FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)), NULL,
    'completed_at stays NULL while the run is running, even when no step is open');
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)), 'running',
    'the trigger never changes the run''s status');
SELECT is((SELECT current_step FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)), 'b',
    'with no open step, current_step is the latest finished one');

-- a waiting step is where the run is, and nodes ahead of it count
SELECT tests.automation_execution(run, 'd', 'waiting_approval', 'approval') FROM ids;
SELECT is((SELECT current_step FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)), 'd',
    'a step waiting for approval becomes current_step');
SELECT is((SELECT progress FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)), 40,
    'two steps done of three taken plus two nodes ahead is 40');

-- completion is the engine's: the status change sets completed_at and 100, once
UPDATE automation.workflow_instances SET status = 'completed' WHERE id = (SELECT run FROM ids);
SELECT is((SELECT progress FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)), 100,
    'a completed run is at 100');
CREATE TEMP TABLE done_at AS SELECT completed_at FROM automation.workflow_instances WHERE id = (SELECT run FROM ids);
SELECT isnt((SELECT completed_at FROM done_at), NULL, 'completing the run sets completed_at');
UPDATE automation.workflow_executions SET status = 'completed' WHERE instance_id = (SELECT run FROM ids) AND node_id = 'd';
UPDATE automation.workflow_instances SET status = 'failed' WHERE id = (SELECT run FROM ids);
SELECT is((SELECT completed_at FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)),
    (SELECT completed_at FROM done_at), 'later step and status changes never move completed_at');

SELECT * FROM finish();
ROLLBACK;
