-- automation.map_instance_status is the one mapping from a run's status to its process
-- instance's; trigger_sync_process_instance applies it (with completion, pause and current step)
-- whenever the run changes.
BEGIN;
SELECT plan(5);

SELECT results_eq(
    $$SELECT s, automation.map_instance_status(s)::text FROM unnest(ARRAY['pending', 'running', 'paused', 'completed', 'failed', 'cancelled']) s$$,
    $$VALUES ('pending', 'ACTIVE'), ('running', 'ACTIVE'), ('paused', 'SUSPENDED'), ('completed', 'COMPLETED'),
             ('failed', 'ERROR'), ('cancelled', 'TERMINATED')$$,
    'each run status maps to one process instance status in the spec''s list');
SELECT is(automation.map_instance_status('unknown'), NULL, 'a status outside the list maps to nothing');

CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph('[["start", "trigger"], ["wait", "action"]]', '[["start", "wait"]]')) AS id;
CREATE TEMP TABLE r AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;
SELECT results_eq($$SELECT status::text, current_activity::text, completed_at IS NULL FROM flowable.process_instances WHERE process_instance_id = (SELECT id FROM r)::text$$,
    $$VALUES ('ACTIVE', 'wait', true)$$, 'a waiting run''s process instance is ACTIVE at the run''s current step');
UPDATE automation.workflow_instances SET status = 'paused' WHERE id = (SELECT id FROM r);
SELECT results_eq($$SELECT pi.status::text, pi.suspended_at = wi.paused_at FROM flowable.process_instances pi
                    JOIN automation.workflow_instances wi ON wi.id::text = pi.process_instance_id WHERE wi.id = (SELECT id FROM r)$$,
    $$VALUES ('SUSPENDED', true)$$, 'pausing the run suspends the process instance at the same time');
UPDATE automation.workflow_instances SET status = 'failed' WHERE id = (SELECT id FROM r);
SELECT results_eq($$SELECT pi.status::text, pi.completed_at = wi.completed_at, pi.suspended_at IS NULL FROM flowable.process_instances pi
                    JOIN automation.workflow_instances wi ON wi.id::text = pi.process_instance_id WHERE wi.id = (SELECT id FROM r)$$,
    $$VALUES ('ERROR', true, true)$$, 'a failed run''s process instance is in ERROR with the same completion time');

SELECT * FROM finish();
ROLLBACK;
