-- The automation reporting views run with the reader's rights (security_invoker): a person
-- (pgwf_app) gets rows and figures over only the runs they may see (automation.can_see_instance),
-- while pgwf_reporting (reporting_read policies) gets all. Exact rows for both.
BEGIN;
SELECT plan(7);

-- the people are active users: an unknown identity sees nothing
INSERT INTO entitlements.users (user_id, username) VALUES ('alice', 'alice'), ('bob', 'bob');
CREATE TEMP TABLE ids AS
SELECT tests.automation_workflow('scan', 'vulnerability') AS scan,
       tests.automation_workflow('idle', 'compliance') AS idle;
ALTER TABLE ids ADD COLUMN r1 uuid, ADD COLUMN r2 uuid;
UPDATE ids SET r1 = tests.automation_instance(scan, 'running', 'alice', '2026-01-01 10:00+00'),
               r2 = tests.automation_instance(scan, 'running', 'bob', '2026-01-02 10:00+00');
SELECT tests.automation_execution(r1, 'a', 'completed', 'trigger', 100),
       tests.automation_execution(r2, 'a', 'completed', 'trigger', 50),
       tests.automation_execution(r2, 'b', 'failed', 'action', 150)
FROM ids;
UPDATE automation.workflow_instances SET status = 'completed' WHERE id = (SELECT r1 FROM ids);
UPDATE automation.workflow_instances SET status = 'failed' WHERE id = (SELECT r2 FROM ids);

SELECT ok((SELECT bool_and(coalesce(reloptions, '{}') @> ARRAY['security_invoker=true']) FROM pg_class
           WHERE oid IN ('automation.vw_workflow_execution_summary'::regclass, 'automation.vw_workflow_performance'::regclass)),
    'the two automation views run with the reader''s rights');

SET LOCAL ROLE pgwf_test_app;
SELECT set_config('app.current_user_id', 'alice', true);
SELECT results_eq(
    $$SELECT workflow_name::text, status::text, triggered_by::text, total_steps, failed_steps FROM automation.vw_workflow_execution_summary$$,
    $$VALUES ('scan', 'completed', 'alice', 1::bigint, 0::bigint)$$,
    'a person reads the execution summary of the runs they started only');
SELECT results_eq(
    $$SELECT workflow_name::text, total_executions, successful_executions, failed_executions FROM automation.vw_workflow_performance ORDER BY workflow_name$$,
    $$VALUES ('idle', 0::bigint, 0::bigint, 0::bigint), ('scan', 1, 1, 0)$$,
    'a person''s workflow performance counts only the runs they may see');
SELECT set_config('app.current_user_id', '', true);
SELECT is((SELECT count(*) FROM automation.vw_workflow_execution_summary), 0::bigint,
    'without an identity a person sees no runs');
RESET ROLE;

SET LOCAL ROLE pgwf_test_reporting;
SELECT results_eq(
    $$SELECT status::text, triggered_by::text, total_steps, failed_steps FROM automation.vw_workflow_execution_summary ORDER BY triggered_by$$,
    $$VALUES ('completed', 'alice', 1::bigint, 0::bigint), ('failed', 'bob', 2, 1)$$,
    'the reporting role reads every run');
SELECT results_eq(
    $$SELECT workflow_name::text, total_executions, successful_executions, failed_executions FROM automation.vw_workflow_performance ORDER BY workflow_name$$,
    $$VALUES ('idle', 0::bigint, 0::bigint, 0::bigint), ('scan', 2, 1, 1)$$,
    'the reporting role''s workflow performance counts every run');
SELECT throws_ok($$DELETE FROM automation.workflow_instances$$, '42501', NULL,
    'the reporting role reads but cannot change the runs');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
