-- A worker renews the lease on a step it holds (before starting it and while its connector
-- runs), so a step that outlasts one lease is not handed to a second worker; a lease that ran
-- out or went to another worker cannot be renewed (PW410). Called as the worker login.
BEGIN;
SELECT plan(12);

CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["call", "integration", {"connector": "http", "input": {"url": "{{url}}"}}], ["done", "end"]]',
    '[["start", "call"], ["call", "done"]]')) AS id;
CREATE TEMP TABLE run AS SELECT tests.automation_start((SELECT id FROM wf), '{"url": "http://x"}') AS id;
CREATE TEMP TABLE step AS SELECT tests.automation_step_id((SELECT id FROM run), 'call') AS id;
GRANT SELECT ON step TO pgwf_test_worker;

SET LOCAL ROLE pgwf_test_worker;
SELECT throws_ok($$SELECT automation.extend_step_lease((SELECT id FROM step), 'w1', 60)$$, 'PW409', NULL,
    'a step no worker has claimed has no lease to renew');
SELECT is((SELECT count(*) FROM automation.claim_steps('w1', ARRAY['integration'], 2, 1)), 1::bigint, 'w1 claims the step with a short lease');
RESET ROLE;
-- the short lease is nearly over when w1 renews it
UPDATE automation.workflow_executions SET lease_expires_at = clock_timestamp() + interval '100 milliseconds' WHERE id = (SELECT id FROM step);
SET LOCAL ROLE pgwf_test_worker;
SELECT ok(automation.extend_step_lease((SELECT id FROM step), 'w1', 600) > clock_timestamp() + interval '590 seconds',
    'renewing returns the new expiry, p_lease_seconds from now');
RESET ROLE;
SELECT ok((SELECT lease_expires_at > clock_timestamp() + interval '590 seconds' AND worker_id = 'w1' AND status = 'running'
           FROM automation.workflow_executions WHERE id = (SELECT id FROM step)),
    'the step stays running under w1''s renewed lease');
SET LOCAL ROLE pgwf_test_worker;
SELECT ok(automation.extend_step_lease((SELECT id FROM step), 'w1', 5) > clock_timestamp() + interval '590 seconds',
    'a renewal never shortens a lease');
SELECT throws_ok($$SELECT automation.extend_step_lease((SELECT id FROM step), 'w2', 60)$$, 'PW410', NULL,
    'another worker cannot renew w1''s lease');
SELECT throws_ok($$SELECT automation.extend_step_lease((SELECT id FROM step), '', 60)$$, 'PW400', NULL, 'a worker must name itself');
SELECT throws_ok($$SELECT automation.extend_step_lease((SELECT id FROM step), 'w1', 0)$$, 'PW400', NULL, 'a lease must last at least a second');
SELECT throws_ok($$SELECT automation.extend_step_lease(gen_random_uuid(), 'w1', 60)$$, 'PW404', NULL, 'an unknown step is not found');
RESET ROLE;

-- the lease runs out and another worker takes the step: the old holder may no longer renew it
UPDATE automation.workflow_executions SET lease_expires_at = clock_timestamp() - interval '1 second' WHERE id = (SELECT id FROM step);
SET LOCAL ROLE pgwf_test_worker;
SELECT throws_ok($$SELECT automation.extend_step_lease((SELECT id FROM step), 'w1', 60)$$, 'PW410', NULL,
    'a lease that already ran out cannot be renewed');
SELECT is((SELECT count(*) FROM automation.claim_steps('w2', ARRAY['integration'], 60, 1)), 1::bigint, 'w2 claims the expired step');
SELECT throws_ok($$SELECT automation.extend_step_lease((SELECT id FROM step), 'w1', 60)$$, 'PW410', NULL,
    'the old holder cannot take the step back by renewing');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
