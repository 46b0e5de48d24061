-- trigger_workflow_instance_status_times: completed_at and paused_at follow the run's status.
BEGIN;
SELECT plan(7);

CREATE TEMP TABLE ids AS SELECT tests.automation_instance(tests.automation_workflow()) AS run;

UPDATE automation.workflow_instances SET status = 'paused' WHERE id = (SELECT run FROM ids);
SELECT isnt((SELECT paused_at FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)), NULL,
    'pausing a run sets paused_at');
SELECT is((SELECT completed_at FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)), NULL,
    'a paused run is not completed');
UPDATE automation.workflow_instances SET status = 'running' WHERE id = (SELECT run FROM ids);
SELECT is((SELECT paused_at FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)), NULL,
    'resuming clears paused_at');
UPDATE automation.workflow_instances SET status = 'cancelled', progress = 30 WHERE id = (SELECT run FROM ids);
SELECT isnt((SELECT completed_at FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)), NULL,
    'cancelling sets completed_at');
SELECT is((SELECT progress FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)), 30,
    'a cancelled run keeps its progress (only completion is 100)');

CREATE TEMP TABLE r2 AS SELECT tests.automation_instance(tests.automation_workflow()) AS run;
UPDATE automation.workflow_instances SET status = 'failed', completed_at = '2001-01-01' WHERE id = (SELECT run FROM r2);
SELECT cmp_ok((SELECT completed_at FROM automation.workflow_instances WHERE id = (SELECT run FROM r2)), '>', now() - interval '1 hour',
    'completed_at is the time the run became terminal');
UPDATE automation.workflow_instances SET completed_at = NULL, status = 'completed' WHERE id = (SELECT run FROM r2);
SELECT isnt((SELECT completed_at FROM automation.workflow_instances WHERE id = (SELECT run FROM r2)), NULL,
    'a terminal run keeps its completed_at when its status changes again');

SELECT * FROM finish();
ROLLBACK;
