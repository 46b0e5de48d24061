-- The executor on automatic graphs: a run advances in the start transaction; condition nodes,
-- conditional and default edges, exclusive/inclusive/parallel gateways route as
-- docs/graph-model.md says; joins wait only for live branches; end nodes terminate; the step
-- limit stops loops; progress is 100 exactly at completion; the run's records are complete.
BEGIN;
SELECT plan(31);

-- condition node: true/false handles
CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["check", "condition", {"condition": {"field": "cvss_score", "operator": "greater_than", "value": 7}}],
      ["high", "notification", {"channel": "slack", "recipients": ["#sec"], "subject": "CVSS {{cvss_score}} on {{$input.asset}}"}],
      ["low", "end"]]',
    '[["start", "check"], ["check", "high", "true"], ["check", "low", "false"]]')) AS id;
CREATE TEMP TABLE runs AS
SELECT tests.automation_start((SELECT id FROM wf), '{"cvss_score": 9.1, "asset": "web01"}') AS hot,
       tests.automation_start((SELECT id FROM wf), '{"cvss_score": 3}') AS cold,
       tests.automation_start((SELECT id FROM wf), '{"asset": "web02"}') AS missing;

SELECT is(tests.automation_steps(hot), 'start:completed check:completed high:completed',
    'a condition that holds takes the "true" edge') FROM runs;
SELECT is(tests.automation_steps(cold), 'start:completed check:completed low:completed',
    'a condition that fails takes the "false" edge') FROM runs;
SELECT is(tests.automation_steps(missing), 'start:completed check:completed low:completed',
    'a missing field makes a condition false, never an error') FROM runs;
SELECT results_eq($$SELECT status::text, progress, completed_at IS NOT NULL FROM automation.workflow_instances WHERE id = (SELECT hot FROM runs)$$,
    $$VALUES ('completed', 100, true)$$, 'an automatic run completes in the transaction that started it, at progress 100');
SELECT results_eq($$SELECT process_instance_id::text, status::text, started_by::text FROM flowable.process_instances WHERE process_instance_id = (SELECT hot FROM runs)::text$$,
    $$SELECT (SELECT hot FROM runs)::text, 'COMPLETED', 'alice'$$,
    'the run has a process instance with the same id, mapped status and starter');
SELECT results_eq($$SELECT channel::text, recipients, subject::text, notification_type::text, status::text, execution_id IS NOT NULL
                    FROM automation.workflow_notifications WHERE instance_id = (SELECT hot FROM runs)$$,
    $$VALUES ('slack', '["#sec"]'::jsonb, 'CVSS 9.1 on web01', 'step_complete', 'pending', true)$$,
    'a notification node writes one pending outbox row with its fields filled from the run data');
SELECT is((SELECT execution_metrics -> 'steps' FROM automation.workflow_instances WHERE id = (SELECT hot FROM runs)), '3'::jsonb,
    'execution_metrics counts the steps');
SELECT is((SELECT jsonb_object_keys(execution_metrics -> 'by_type') FROM automation.workflow_instances WHERE id = (SELECT cold FROM runs) ORDER BY 1 LIMIT 1),
    'condition', 'execution_metrics has per-type entries');
SELECT is((SELECT output_data FROM automation.workflow_instances WHERE id = (SELECT cold FROM runs)), '{"cvss_score": 3}'::jsonb,
    'a completed run''s output_data is its variables');

-- edge conditions, default edge, no match
CREATE TEMP TABLE wf2 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["route", "gateway", {"kind": "exclusive"}], ["crit", "end"], ["high", "end"], ["other", "end"],
      ["s2", "trigger"]]',
    '[["start", "route"],
      ["route", "crit", null, {"conditions": [{"field": "severity", "operator": "equals", "value": "critical"}]}],
      ["route", "high", null, {"conditions": [{"field": "cvss", "operator": "greater_than_or_equal", "value": 7}]}],
      ["route", "other", null, {"default": true}]]')) AS id;
SELECT is(tests.automation_steps(tests.automation_start((SELECT id FROM wf2), '{"severity": "critical", "cvss": 9}')),
    'start:completed route:completed crit:completed', 'an exclusive gateway takes only the first matching edge in edge order');
SELECT is(tests.automation_steps(tests.automation_start((SELECT id FROM wf2), '{"severity": "high", "cvss": 7}')),
    'start:completed route:completed high:completed', 'an exclusive gateway skips edges whose conditions fail');
SELECT is(tests.automation_steps(tests.automation_start((SELECT id FROM wf2), '{"cvss": "high"}')),
    'start:completed route:completed other:completed', 'the default edge is taken when no condition matches (a string is never greater than a number)');

CREATE TEMP TABLE wf3 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["a", "notification"], ["b", "end"]]',
    '[["start", "a", null, {"conditions": [{"field": "go", "operator": "equals", "value": true}]}], ["a", "b"]]')) AS id;
CREATE TEMP TABLE r3 AS SELECT tests.automation_start((SELECT id FROM wf3), '{"go": false}') AS id;
SELECT results_eq($$SELECT status::text, error_details FROM automation.workflow_instances WHERE id = (SELECT id FROM r3)$$,
    $$VALUES ('failed', 'no outgoing edge of node start matched the run''s data and it has no default edge')$$,
    'no matching edge and no default fails the run with a message naming the node');
SELECT is((SELECT status FROM flowable.process_instances WHERE process_instance_id = (SELECT id FROM r3)::text), 'ERROR',
    'a failed run''s process instance is in ERROR');
SELECT isnt((SELECT progress FROM automation.workflow_instances WHERE id = (SELECT id FROM r3)), 100, 'a failed run is not at 100');

-- inclusive gateway: every matching edge, then an inclusive join that waits for exactly those
CREATE TEMP TABLE wf4 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["fan", "gateway", {"kind": "inclusive"}], ["x", "notification"], ["y", "notification"], ["z", "notification"],
      ["join", "gateway", {"kind": "inclusive"}], ["done", "end"]]',
    '[["start", "fan"],
      ["fan", "x", null, {"conditions": [{"field": "x", "operator": "exists"}]}],
      ["fan", "y", null, {"conditions": [{"field": "y", "operator": "exists"}]}],
      ["fan", "z", null, {"default": true}],
      ["x", "join"], ["y", "join"], ["z", "join"], ["join", "done"]]')) AS id;
SELECT is(tests.automation_steps(tests.automation_start((SELECT id FROM wf4), '{"x": 1, "y": 2}')),
    'start:completed fan:completed x:completed y:completed join:completed done:completed',
    'an inclusive gateway takes every matching edge and the join runs once after both');
SELECT is(tests.automation_steps(tests.automation_start((SELECT id FROM wf4), '{}')),
    'start:completed fan:completed z:completed join:completed done:completed',
    'an inclusive gateway with no match takes its default edge; the join does not wait for dead branches');

-- a join after a condition never hangs
CREATE TEMP TABLE wf5 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["c", "condition", {"condition": {"field": "n", "operator": "less_than", "value": 5}}],
      ["small", "notification"], ["big", "notification"], ["merge", "notification"]]',
    '[["start", "c"], ["c", "small", "true"], ["c", "big", "false"], ["small", "merge"], ["big", "merge"]]')) AS id;
SELECT is(tests.automation_steps(tests.automation_start((SELECT id FROM wf5), '{"n": 1}')),
    'start:completed c:completed small:completed merge:completed',
    'a node joining the two branches of a condition runs once, after the live branch');

-- parallel fork and join around a worker step: the join waits for the live branch
CREATE TEMP TABLE wf6 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["scan", "action", {"connector": "http", "input": {"asset": "{{$input.asset}}"}}], ["note", "notification"],
      ["join", "gateway", {"kind": "parallel"}], ["done", "end"]]',
    '[["start", "scan"], ["start", "note"], ["scan", "join"], ["note", "join"], ["join", "done"]]')) AS id;
CREATE TEMP TABLE r6 AS SELECT tests.automation_start((SELECT id FROM wf6), '{"asset": "web01"}') AS id;
SELECT is(tests.automation_steps(id), 'start:completed scan:pending note:completed',
    'several unconditional edges fork; the join waits while a live branch is open') FROM r6;
SELECT results_eq($$SELECT status::text, current_step::text, progress FROM automation.workflow_instances WHERE id = (SELECT id FROM r6)$$,
    $$VALUES ('running', 'scan', 40)$$,
    'a waiting run is running at the open step, with progress counting the nodes still ahead (2 of 3 taken + 2 ahead)');
SELECT is((SELECT input_data -> 'input' FROM automation.workflow_executions WHERE id = tests.automation_step_id((SELECT id FROM r6), 'scan')),
    '{"asset": "web01"}'::jsonb, 'a worker step''s input has its {{placeholders}} filled from the run data');
SELECT lives_ok($$SELECT automation.complete_step(c.execution_id, '{"variables": {"found": 3}}', 'w1')
                  FROM automation.claim_steps('w1', ARRAY['action'], 60, 10) c$$,
    'a worker claims and completes the step');
SELECT is(tests.automation_steps(id), 'start:completed scan:completed note:completed join:completed done:completed',
    'completing the last live branch runs the join and the rest of the graph in the same transaction') FROM r6;
SELECT results_eq($$SELECT status::text, progress, output_data -> 'found' FROM automation.workflow_instances WHERE id = (SELECT id FROM r6)$$,
    $$VALUES ('completed', 100, '3'::jsonb)$$, 'the run completes at 100 with the step''s variables in its output');

-- an end node with terminate ends the whole run, closing other branches
CREATE TEMP TABLE wf7 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["slow", "action"], ["stop", "end", {"terminate": true}]]',
    '[["start", "slow"], ["start", "stop"]]')) AS id;
CREATE TEMP TABLE r7 AS SELECT tests.automation_start((SELECT id FROM wf7)) AS id;
SELECT results_eq($$SELECT status::text, progress FROM automation.workflow_instances WHERE id = (SELECT id FROM r7)$$,
    $$VALUES ('completed', 100)$$, 'a terminating end node completes the run');
SELECT is((SELECT status || ': ' || error_message FROM automation.workflow_executions WHERE id = tests.automation_step_id((SELECT id FROM r7), 'slow')),
    'failed: run terminated by end node stop', 'the other open branch is closed with the reason');

-- the step limit stops a loop
CREATE TEMP TABLE wf8 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["a", "notification"], ["b", "gateway", {"kind": "exclusive"}]]',
    '[["start", "a"], ["a", "b"], ["b", "a"]]'), '{"maxSteps": 7}') AS id;
CREATE TEMP TABLE r8 AS SELECT tests.automation_start((SELECT id FROM wf8)) AS id;
SELECT results_eq($$SELECT status::text, error_details FROM automation.workflow_instances WHERE id = (SELECT id FROM r8)$$,
    $$VALUES ('failed', 'the run visited more than 7 steps (maxSteps) and was stopped at node a; does the model loop?')$$,
    'a run that visits more than maxSteps steps fails with a clear message');
SELECT is((SELECT count(*) FROM automation.workflow_executions WHERE instance_id = (SELECT id FROM r8)), 7::bigint,
    'each visit of a node in a loop is its own step row, up to the limit');

-- a disabled node is passed through
CREATE TEMP TABLE wf9 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["off", "notification", {"enabled": false}], ["done", "end"]]',
    '[["start", "off"], ["off", "done"]]')) AS id;
SELECT is(tests.automation_steps(tests.automation_start((SELECT id FROM wf9))),
    'start:completed off:skipped done:completed', 'a disabled node is recorded as skipped and the run goes on');
SELECT is((SELECT count(*) FROM automation.workflow_notifications n JOIN automation.workflow_instances wi ON wi.id = n.instance_id
           WHERE wi.workflow_id = (SELECT id FROM wf9)), 0::bigint, 'a disabled notification node sends nothing');

-- runs only start on deployed versions
SELECT throws_ok($$SELECT tests.automation_start(tests.automation_workflow())$$, 'PW409', NULL,
    'a version that is not deployed cannot start');

SELECT * FROM finish();
ROLLBACK;
