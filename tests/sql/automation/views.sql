-- The reporting views on a hand-built dataset: exact rows of vw_workflow_execution_summary and
-- vw_workflow_performance (a workflow without runs included), readable by pgwf_reporting.
BEGIN;
SELECT plan(6);

CREATE TEMP TABLE ids AS
SELECT tests.automation_workflow('scan', 'vulnerability') AS scan,
       tests.automation_workflow('idle', 'compliance') AS idle,
       tests.automation_workflow('old', 'custom', false) AS old;
ALTER TABLE ids ADD COLUMN r1 uuid, ADD COLUMN r2 uuid, ADD COLUMN r3 uuid;
UPDATE ids SET r1 = tests.automation_instance(scan, 'running', 'alice', '2026-01-01 10:00+00'),
               r2 = tests.automation_instance(scan, 'running', 'bob', '2026-01-02 10:00+00'),
               r3 = tests.automation_instance(old, 'running', 'carol', '2026-01-03 10:00+00');
SELECT tests.automation_execution(r1, 'a', 'completed', 'trigger', 100),
       tests.automation_execution(r1, 'b', 'completed', 'action', 300),
       tests.automation_execution(r1, 'c', 'skipped', 'notification'),
       tests.automation_execution(r2, 'a', 'completed', 'trigger', 50),
       tests.automation_execution(r2, 'b', 'failed', 'action', 150),
       tests.automation_execution(r2, 'd', 'waiting_approval', 'approval')
FROM ids;
UPDATE automation.workflow_instances SET status = 'completed' WHERE id = (SELECT r1 FROM ids);
UPDATE automation.workflow_instances SET completed_at = started_at + interval '60 seconds' WHERE id = (SELECT r1 FROM ids);
UPDATE automation.workflow_instances SET status = 'failed' WHERE id = (SELECT r2 FROM ids);
UPDATE automation.workflow_instances SET completed_at = started_at + interval '120 seconds' WHERE id = (SELECT r2 FROM ids);

SELECT results_eq(
    $$SELECT workflow_name::text, category::text, status::text, triggered_by::text, total_steps, completed_steps,
             failed_steps, pending_approvals, avg_step_duration_ms
      FROM automation.vw_workflow_execution_summary ORDER BY triggered_by$$,
    $$VALUES ('scan', 'vulnerability', 'completed', 'alice', 3::bigint, 2::bigint, 0::bigint, 0::bigint, 200::numeric),
             ('scan', 'vulnerability', 'failed', 'bob', 3, 1, 1, 1, 100),
             ('old', 'custom', 'running', 'carol', 0, 0, 0, 0, NULL)$$,
    'vw_workflow_execution_summary has one row per run with its step counts and average duration');
SELECT results_eq(
    $$SELECT progress FROM automation.vw_workflow_execution_summary ORDER BY triggered_by$$,
    $$VALUES (100), (33), (0)$$,
    'vw_workflow_execution_summary shows each run''s progress');
SELECT results_eq(
    $$SELECT workflow_name::text, category::text, total_executions, successful_executions, failed_executions,
             success_rate_percent, avg_duration_seconds, first_execution, last_execution
      FROM automation.vw_workflow_performance ORDER BY workflow_name$$,
    $$VALUES ('idle', 'compliance', 0::bigint, 0::bigint, 0::bigint, NULL::numeric, NULL::numeric, NULL::timestamptz, NULL::timestamptz),
             ('scan', 'vulnerability', 2, 1, 1, 50.00, 90, '2026-01-01 10:00+00', '2026-01-02 10:00+00')$$,
    'vw_workflow_performance lists active workflows, a workflow without runs with a NULL success rate instead of a division by zero');

SET LOCAL ROLE pgwf_test_reporting;
SELECT is((SELECT count(*) FROM automation.vw_workflow_execution_summary), 3::bigint,
    'pgwf_reporting reads vw_workflow_execution_summary (every run)');
SELECT is((SELECT count(*) FROM automation.vw_workflow_performance), 2::bigint,
    'pgwf_reporting reads vw_workflow_performance');
SELECT throws_ok($$UPDATE automation.workflow_instances SET priority = priority$$, '42501', NULL,
    'pgwf_reporting reads but cannot change the tables behind the views');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
