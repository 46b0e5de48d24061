-- Lock order on task changes: the triggers of one event fire in name order, and a task
-- change must lock the run (engine resume) before any queue row (queue load), because the
-- engine itself locks run then queue. Reversed, a completion and the engine opening a task
-- of the same run in the same queue deadlock.
BEGIN;
SELECT plan(3);

SELECT has_trigger('flowable', 'workflow_tasks', 'trg_workflow_tasks_engine_resume',
    'the engine resume trigger is on workflow_tasks');
SELECT has_trigger('flowable', 'workflow_tasks', 'trg_workflow_tasks_queue_load_change',
    'the queue load trigger is on workflow_tasks');

SELECT is(
    (SELECT array_agg(t.tgname::text ORDER BY t.tgname)
     FROM pg_catalog.pg_trigger t
     WHERE t.tgrelid = 'flowable.workflow_tasks'::regclass
       AND t.tgname IN ('trg_workflow_tasks_engine_resume', 'trg_workflow_tasks_queue_load_change')),
    ARRAY['trg_workflow_tasks_engine_resume', 'trg_workflow_tasks_queue_load_change'],
    'on a status change the run is locked (engine resume) before the queue row (queue load)');

SELECT * FROM finish();
ROLLBACK;
