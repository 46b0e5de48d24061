-- A worker step failed with a BPMN error code (automation.fail_step's p_error_code, docs/graph-model.md,
-- "Waiting steps"): never retried; thrown at the step's activity, where an error boundary event
-- (by code, else a catch-all) or an error event sub-process catches it; uncaught, the run fails
-- with the code; a bad code is refused and changes nothing.
BEGIN;
SELECT plan(12);

SELECT tests.cr_department('OPS');
SELECT tests.cr_queue('ops_q', 'OPS');
SELECT tests.cr_role('OPERATOR', 'ops_q', 'OPS');

CREATE FUNCTION pg_temp.leased(p_run uuid) RETURNS uuid LANGUAGE sql AS $$
    SELECT c.execution_id FROM automation.claim_steps('w1', ARRAY['action'], 60, 10) c
    JOIN automation.workflow_executions e ON e.id = c.execution_id WHERE e.instance_id = p_run LIMIT 1;
$$;
CREATE FUNCTION pg_temp.open_tasks(p_run uuid) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(task_definition_key, ' ' ORDER BY task_definition_key), '')
    FROM flowable.workflow_tasks WHERE process_instance_id = p_run::text AND status IN ('OPEN', 'CLAIMED');
$$;

-- charge (a worker step, 3 retries) with a boundary for CARD_DECLINED and a catch-all one
CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["charge", "action", {"connector": "payments", "maxRetries": 3}],
      ["declined", "event", {"event": "error", "code": "CARD_DECLINED", "attachedTo": "charge"}],
      ["other", "event", {"event": "error", "attachedTo": "charge"}],
      ["ask_customer", "task", {"queueName": "ops_q"}], ["investigate", "task", {"queueName": "ops_q"}],
      ["done", "end"], ["asked", "end"], ["looked", "end"]]',
    '[["start", "charge"], ["charge", "done"], ["declined", "ask_customer"], ["ask_customer", "asked"],
      ["other", "investigate"], ["investigate", "looked"]]')) AS id;
CREATE TEMP TABLE r1 AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;
CREATE TEMP TABLE s1 AS SELECT pg_temp.leased((SELECT id FROM r1)) AS id;

SELECT throws_ok($$SELECT automation.fail_step((SELECT id FROM s1), 'declined', false, 'w1', '')$$, 'PW400',
    'p_error_code must be a BPMN error code of 1 to 255 characters (or NULL for a technical failure)',
    'an empty error code is refused');
SELECT is((SELECT status FROM automation.workflow_executions WHERE id = (SELECT id FROM s1)), 'running',
    'and the step is as it was');
SELECT is(automation.fail_step((SELECT id FROM s1), 'card 4242 declined', true, 'w1', 'CARD_DECLINED'), 'caught',
    'a BPMN error is caught at once, though the step had retries left');
SELECT results_eq($$SELECT status::text, retry_count, error_message FROM automation.workflow_executions WHERE id = (SELECT id FROM s1)$$,
    $$VALUES ('failed', 0, 'card 4242 declined')$$, 'the step failed with the worker''s message and was not retried');
SELECT results_eq($$SELECT (SELECT status::text FROM automation.workflow_instances WHERE id = (SELECT id FROM r1)), pg_temp.open_tasks((SELECT id FROM r1))$$,
    $$VALUES ('running', 'ask_customer')$$, 'the boundary event with the same code takes the run on');

CREATE TEMP TABLE r2 AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;
SELECT is(automation.fail_step(pg_temp.leased((SELECT id FROM r2)), 'fraud suspected', false, 'w1', 'FRAUD'), 'caught',
    'an error with another code is caught too');
SELECT is(pg_temp.open_tasks((SELECT id FROM r2)), 'investigate', 'by the catch-all boundary event');

-- no boundary: an error event sub-process, else the run fails with the code
CREATE TEMP TABLE wf3 AS SELECT tests.automation_deployed(jsonb_build_object(
    'nodes', jsonb_build_array(
        jsonb_build_object('id', 'start', 'type', 'trigger', 'position', '{"x": 0, "y": 0}'::jsonb),
        jsonb_build_object('id', 'charge', 'type', 'action', 'position', '{"x": 0, "y": 0}'::jsonb, 'data', '{"connector": "payments"}'::jsonb),
        jsonb_build_object('id', 'done', 'type', 'end', 'position', '{"x": 0, "y": 0}'::jsonb),
        jsonb_build_object('id', 'onError', 'type', 'subprocess', 'position', '{"x": 0, "y": 0}'::jsonb, 'data', '{"triggeredByEvent": true}'::jsonb),
        jsonb_build_object('id', 'caught', 'type', 'event', 'parentId', 'onError', 'position', '{"x": 0, "y": 0}'::jsonb,
                           'data', '{"start": true, "event": "error", "code": "TIMEOUT"}'::jsonb),
        jsonb_build_object('id', 'refund', 'type', 'task', 'parentId', 'onError', 'position', '{"x": 0, "y": 0}'::jsonb, 'data', '{"queueName": "ops_q"}'::jsonb),
        jsonb_build_object('id', 'refunded', 'type', 'end', 'parentId', 'onError', 'position', '{"x": 0, "y": 0}'::jsonb)),
    'edges', jsonb_build_array(
        jsonb_build_object('id', 'f1', 'source', 'start', 'target', 'charge'), jsonb_build_object('id', 'f2', 'source', 'charge', 'target', 'done'),
        jsonb_build_object('id', 'f3', 'source', 'caught', 'target', 'refund'), jsonb_build_object('id', 'f4', 'source', 'refund', 'target', 'refunded')))) AS id;
CREATE TEMP TABLE r3 AS SELECT tests.automation_start((SELECT id FROM wf3)) AS id;
SELECT is(automation.fail_step(pg_temp.leased((SELECT id FROM r3)), 'gateway timed out', true, 'w1', 'TIMEOUT'), 'caught',
    'an error event sub-process with the code catches the step''s error');
SELECT is(pg_temp.open_tasks((SELECT id FROM r3)), 'refund', 'and runs');
CREATE TEMP TABLE r4 AS SELECT tests.automation_start((SELECT id FROM wf3)) AS id;
CREATE TEMP TABLE s4 AS SELECT pg_temp.leased((SELECT id FROM r4)) AS id;
SELECT is(automation.fail_step((SELECT id FROM s4), 'no such account', true, 'w1', 'NO_ACCOUNT'), 'failed',
    'an error nothing catches fails the step');
SELECT results_eq($$SELECT status::text, error_details FROM automation.workflow_instances WHERE id = (SELECT id FROM r4)$$,
    format($$VALUES ('failed', 'step %s (node charge): error ''NO_ACCOUNT'' was thrown and no boundary event caught it')$$, (SELECT id FROM s4)),
    'and the run, naming the step and the code');
SELECT throws_ok(format($$SELECT automation.fail_step(%L, 'again', true, 'w1', 'NO_ACCOUNT')$$, (SELECT id FROM s4)), 'PW409', NULL,
    'a step that failed cannot be failed again');

SELECT * FROM finish();
ROLLBACK;
