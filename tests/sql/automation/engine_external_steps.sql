-- Worker steps: claim_steps leases pending action/integration steps; complete_step and
-- fail_step report; retries back off exponentially up to max_retries; an expired lease makes
-- the step claimable again (counted) and the late report of the old worker is refused (PW410).
BEGIN;
SELECT plan(27);

CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["call", "integration", {"connector": "http", "maxRetries": 2, "retryBackoffSeconds": 10, "input": {"url": "{{url}}"}}], ["done", "end"]]',
    '[["start", "call"], ["call", "done"]]')) AS id;
CREATE TEMP TABLE run AS SELECT tests.automation_start((SELECT id FROM wf), '{"url": "http://x"}') AS id;
CREATE TEMP TABLE step AS SELECT tests.automation_step_id((SELECT id FROM run), 'call') AS id;

SELECT throws_ok($$SELECT * FROM automation.claim_steps('', ARRAY['integration'])$$, 'PW400', NULL, 'a worker must name itself');
SELECT throws_ok($$SELECT * FROM automation.claim_steps('w1', ARRAY['integration'], 0)$$, 'PW400', NULL, 'a lease must last at least a second');
SELECT is((SELECT count(*) FROM automation.claim_steps('w1', ARRAY['action'])), 0::bigint, 'a worker only gets the step types it asked for');
CREATE TEMP TABLE c1 AS SELECT * FROM automation.claim_steps('w1', ARRAY['integration'], 60, 5);
SELECT results_eq($$SELECT execution_id, node_id::text, input_data -> 'input', retry_count, max_retries FROM c1$$,
    $$SELECT (SELECT id FROM step), 'call', '{"url": "http://x"}'::jsonb, 0, 2$$,
    'claim_steps returns the pending step with its filled input and retry budget');
SELECT results_eq($$SELECT status::text, worker_id::text, lease_expires_at > now(), started_at IS NOT NULL FROM automation.workflow_executions WHERE id = (SELECT id FROM step)$$,
    $$VALUES ('running', 'w1', true, true)$$, 'a claimed step is running under the worker''s lease');
SELECT is((SELECT count(*) FROM automation.claim_steps('w2', ARRAY['integration'])), 0::bigint, 'a leased step is not claimed twice');
SELECT throws_ok($$SELECT automation.complete_step((SELECT id FROM step), '{}', 'w2')$$, 'PW410', NULL,
    'another worker cannot report on a step leased to w1');
SELECT throws_ok($$SELECT automation.complete_step(gen_random_uuid(), '{}')$$, 'PW404', NULL, 'an unknown step is not found');
SELECT throws_ok($$SELECT automation.complete_step(tests.automation_step_id((SELECT id FROM run), 'start'), '{}')$$, 'PW409', NULL,
    'a step that is not a worker step cannot be completed by a worker');

-- retry with exponential backoff
SELECT is(automation.fail_step((SELECT id FROM step), 'HTTP 503', true, 'w1'), 'retrying', 'a retryable failure with retries left is retried');
SELECT results_eq($$SELECT status::text, retry_count, error_message, round(extract(epoch FROM next_attempt_at - clock_timestamp())) BETWEEN 8 AND 10
                    FROM automation.workflow_executions WHERE id = (SELECT id FROM step)$$,
    $$VALUES ('pending', 1, 'HTTP 503', true)$$, 'the step is pending again, after retryBackoffSeconds (10 s)');
SELECT is((SELECT count(*) FROM automation.claim_steps('w1', ARRAY['integration'])), 0::bigint, 'a step in backoff is not claimable');
UPDATE automation.workflow_executions SET next_attempt_at = clock_timestamp() - interval '1 second' WHERE id = (SELECT id FROM step);
SELECT is((SELECT count(*) FROM automation.claim_steps('w1', ARRAY['integration'])), 1::bigint, 'after the backoff the step is claimable');
SELECT is(automation.fail_step((SELECT id FROM step), 'HTTP 503', true, 'w1'), 'retrying', 'the second failure is retried too');
SELECT ok((SELECT round(extract(epoch FROM next_attempt_at - clock_timestamp())) BETWEEN 18 AND 20 FROM automation.workflow_executions WHERE id = (SELECT id FROM step)),
    'the backoff doubles (20 s)');
UPDATE automation.workflow_executions SET next_attempt_at = clock_timestamp() - interval '1 second' WHERE id = (SELECT id FROM step);
SELECT is((SELECT count(*) FROM automation.claim_steps('w1', ARRAY['integration'])), 1::bigint, 'claimed for the last attempt');
SELECT is(automation.fail_step((SELECT id FROM step), 'HTTP 500', true, 'w1'), 'failed', 'with no retries left the step fails');
SELECT results_eq($$SELECT wi.status::text, we.status::text FROM automation.workflow_instances wi JOIN automation.workflow_executions we ON we.instance_id = wi.id
                    WHERE we.id = (SELECT id FROM step)$$, $$VALUES ('failed', 'failed')$$, 'a step that fails for good fails its run');
SELECT alike((SELECT error_details FROM automation.workflow_instances WHERE id = (SELECT id FROM run)), '%(node call) failed after 2 retries: HTTP 500',
    'the run says which step failed and why');

-- lease expiry
CREATE TEMP TABLE run2 AS SELECT tests.automation_start((SELECT id FROM wf), '{"url": "http://y"}') AS id;
CREATE TEMP TABLE step2 AS SELECT tests.automation_step_id((SELECT id FROM run2), 'call') AS id;
SELECT count(*) FROM automation.claim_steps('w1', ARRAY['integration'], 60, 1);
UPDATE automation.workflow_executions SET lease_expires_at = clock_timestamp() - interval '1 second' WHERE id = (SELECT id FROM step2);
SELECT throws_ok($$SELECT automation.complete_step((SELECT id FROM step2), '{}', 'w1')$$, 'PW410', NULL,
    'a report after the lease expired is refused');
SELECT is(automation.recover_expired_leases(), 1, 'maintenance finds the expired lease');
SELECT results_eq($$SELECT status::text, lease_expiries FROM automation.workflow_executions WHERE id = (SELECT id FROM step2)$$,
    $$VALUES ('pending', 1)$$, 'the step is claimable again and the lost lease is counted');
SELECT is((SELECT count(*) FROM automation.claim_steps('w2', ARRAY['integration'], 60, 1)), 1::bigint, 'another worker claims the step');
SELECT is((SELECT worker_id FROM automation.workflow_executions WHERE id = (SELECT id FROM step2)), 'w2', 'the step is now w2''s');
SELECT throws_ok($$SELECT automation.complete_step((SELECT id FROM step2), '{}', 'w1')$$, 'PW410', NULL,
    'the old worker''s late completion is refused');
SELECT lives_ok($$SELECT automation.complete_step((SELECT id FROM step2), '{"status": 200}', 'w2')$$, 'the new holder completes the step');
SELECT results_eq($$SELECT status::text, progress FROM automation.workflow_instances WHERE id = (SELECT id FROM run2)$$,
    $$VALUES ('completed', 100)$$, 'and the run completes');

SELECT * FROM finish();
ROLLBACK;
