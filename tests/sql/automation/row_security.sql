-- Row-level security of the automation tables, proven as a pgwf_app login: RLS is enabled and
-- forced everywhere; no identity sees nothing; a person sees every workflow model, the runs they
-- started, and the runs, steps and approvals whose approver role they hold; never others'.
BEGIN;
SELECT plan(21);

SELECT is(
    (SELECT array_agg(relname::text ORDER BY relname) FROM pg_class
     WHERE relnamespace = 'automation'::regnamespace AND relkind = 'r' AND relrowsecurity AND relforcerowsecurity),
    ARRAY['idempotency_keys', 'webhook_refusals', 'workflow_approvals', 'workflow_edges', 'workflow_event_subscriptions', 'workflow_executions', 'workflow_instances',
          'workflow_nodes', 'workflow_notifications', 'workflow_tokens', 'workflow_trigger_deliveries', 'workflow_triggers', 'workflows'],
    'row-level security is enabled and forced on every automation table');
SELECT policies_are('automation', 'workflow_instances', ARRAY['engine_all', 'person_read', 'reporting_read'],
    'workflow_instances has the engine''s policy, the person read policy and the reporting read policy');
SELECT policies_are('automation', 'workflow_trigger_deliveries', ARRAY['engine_all'],
    'the delivery log has only the engine''s policy');

INSERT INTO entitlements.users (user_id, username) VALUES ('alice', 'alice'), ('bob', 'bob'), ('sam', 'sam');
INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type) VALUES ('security_team', 'Security team', 'CUSTOM');
INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by)
SELECT 'sam', role_id, 'admin' FROM entitlements.workflow_roles WHERE role_code = 'security_team';

CREATE TEMP TABLE ids AS SELECT tests.automation_workflow('shared') AS wf;
ALTER TABLE ids ADD COLUMN mine uuid, ADD COLUMN theirs uuid, ADD COLUMN step uuid;
UPDATE ids SET mine = tests.automation_instance(wf, 'running', 'alice'),
               theirs = tests.automation_instance(wf, 'running', 'bob');
UPDATE ids SET step = tests.automation_execution(theirs, 'approve', 'waiting_approval', 'approval');
SELECT tests.automation_execution(mine, 'a'), tests.automation_approval(step, 'security_team') FROM ids;
INSERT INTO automation.workflow_notifications (instance_id, notification_type, channel) SELECT mine, 'workflow_complete', 'email' FROM ids;
INSERT INTO automation.workflow_triggers (workflow_id, trigger_type, token_hash) SELECT wf, 'webhook', 'abc' FROM ids;
GRANT SELECT ON ids TO pgwf_test_app;

SET LOCAL ROLE pgwf_test_app;
SELECT is((SELECT count(*) FROM automation.workflows), 0::bigint, 'without an identity no workflow is visible');
SELECT is((SELECT count(*) FROM automation.workflow_instances), 0::bigint, 'without an identity no run is visible');
SELECT tests.as_user('');
SELECT is((SELECT count(*) FROM automation.workflow_instances), 0::bigint, 'an identity reset to empty sees no run');

SELECT tests.as_user('alice');
SELECT is((SELECT count(*) FROM automation.workflows), 1::bigint, 'an identified person reads the workflow models');
SELECT is((SELECT count(*) FROM automation.workflow_triggers), 1::bigint, 'an identified person reads the triggers');
SELECT throws_ok($$SELECT token_hash FROM automation.workflow_triggers$$, '42501', NULL,
    'nobody reads a webhook token hash through pgwf_app');
SELECT results_eq($$SELECT id FROM automation.workflow_instances$$, $$SELECT mine FROM ids$$,
    'alice sees the run she started and not bob''s');
SELECT results_eq($$SELECT node_id::text FROM automation.workflow_executions$$, $$VALUES ('a')$$,
    'alice sees the steps of her run only');
SELECT is((SELECT count(*) FROM automation.workflow_approvals), 0::bigint, 'alice sees no approval of bob''s run');
SELECT is((SELECT count(*) FROM automation.workflow_notifications), 1::bigint, 'alice sees the notifications of her run');
SELECT throws_ok($$UPDATE automation.workflow_instances SET progress = 100$$, '42501', NULL,
    'a person cannot change a run directly');
SELECT throws_ok($$SELECT * FROM automation.workflow_trigger_deliveries$$, '42501', NULL,
    'a person cannot read the delivery log');

SELECT tests.as_user('sam');
SELECT results_eq($$SELECT id FROM automation.workflow_instances$$, $$SELECT theirs FROM ids$$,
    'a holder of the approver role sees the run waiting for the approval');
SELECT is((SELECT count(*) FROM automation.workflow_approvals), 1::bigint, 'a holder of the approver role sees the approval');
SELECT results_eq($$SELECT node_id::text FROM automation.workflow_executions$$, $$VALUES ('approve')$$,
    'a holder of the approver role sees that run''s steps');

SELECT tests.as_user('bob');
SELECT is((SELECT count(*) FROM automation.workflow_approvals), 1::bigint, 'the person who started a run sees its approvals');
RESET ROLE;

-- a person who may take a queue task of a run sees that run
SELECT tests.cr_queue('triage_q'), tests.cr_user('tara');
CREATE TEMP TABLE tw AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["look", "task", {"queueName": "triage_q", "candidateUsers": ["tara"]}]]', '[["start", "look"]]')) AS id;
CREATE TEMP TABLE tr AS SELECT tests.automation_start((SELECT id FROM tw), '{}', 'bob') AS id;
GRANT SELECT ON tr TO pgwf_test_app;
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('tara');
SELECT results_eq($$SELECT id FROM automation.workflow_instances$$, $$SELECT id FROM tr$$,
    'a candidate of a run''s queue task sees that run (and no other)');
SELECT tests.as_user('alice');
SELECT is((SELECT count(*) FROM automation.workflow_instances WHERE id = (SELECT id FROM tr)), 0::bigint,
    'people with no part in the run do not see it');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
