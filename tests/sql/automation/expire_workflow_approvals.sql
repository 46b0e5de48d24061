-- automation.expire_workflow_approvals: pending approvals past expires_at become expired and the
-- steps waiting for them fail (with their runs, when the model draws no "expired" edge:
-- tests/sql/automation/engine_approvals.sql covers that edge); approvals not yet due, or
-- already decided, are left alone.
BEGIN;
SELECT plan(7);

CREATE TEMP TABLE ids AS SELECT tests.automation_workflow() AS wf;
ALTER TABLE ids ADD COLUMN run uuid, ADD COLUMN other uuid, ADD COLUMN due uuid, ADD COLUMN later uuid, ADD COLUMN decided uuid;
UPDATE ids SET run = tests.automation_instance(wf), other = tests.automation_instance(wf);
UPDATE ids SET due = tests.automation_execution(run, 'due', 'waiting_approval', 'approval'),
               later = tests.automation_execution(other, 'later', 'waiting_approval', 'approval'),
               decided = tests.automation_execution(other, 'decided', 'completed', 'approval');
SELECT tests.automation_approval(due, 'manager', now() - interval '1 minute') FROM ids;
SELECT tests.automation_approval(later, 'manager', now() + interval '1 hour') FROM ids;
SELECT tests.automation_approval(decided, 'manager', now() - interval '1 hour', 'approved') FROM ids;

SELECT is(automation.expire_workflow_approvals(), 1, 'one approval was due: the function returns 1');
SELECT results_eq(
    $$SELECT we.node_id::text, wa.status::text FROM automation.workflow_approvals wa
      JOIN automation.workflow_executions we ON we.id = wa.execution_id ORDER BY 1$$,
    $$VALUES ('decided', 'approved'), ('due', 'expired'), ('later', 'pending')$$,
    'only the pending approval past its expiry is expired');
SELECT is((SELECT status FROM automation.workflow_executions WHERE id = (SELECT due FROM ids)), 'failed',
    'the step waiting for the expired approval fails');
SELECT is((SELECT error_message FROM automation.workflow_executions WHERE id = (SELECT due FROM ids)), 'Approval expired',
    'the failed step says why');
SELECT is((SELECT status FROM automation.workflow_executions WHERE id = (SELECT later FROM ids)), 'waiting_approval',
    'a step whose approval is not yet due keeps waiting');
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT run FROM ids)), 'failed',
    'without an "expired" edge the run of the expired approval fails');
SELECT is(automation.expire_workflow_approvals(), 0, 'a second call finds nothing more to expire');

SELECT * FROM finish();
ROLLBACK;
