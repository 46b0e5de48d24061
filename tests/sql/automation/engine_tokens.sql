-- The token game (docs/graph-model.md, "How a run moves"): a node that is not a join runs once
-- per arriving token; a parallel join counts the tokens on its incoming flows and keeps those
-- of a later round; an inclusive join waits only while another token can still reach it; a
-- join that can never fire fails the run; every name in a condition is a process variable.
BEGIN;
SELECT plan(24);

-- two tokens of a parallel fork meet at an exclusive gateway: the step after it runs twice
CREATE TEMP TABLE wf1 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["fork", "gateway", {"kind": "parallel"}], ["a", "notification"], ["b", "notification"],
      ["merge", "gateway", {"kind": "exclusive"}], ["after", "notification"], ["done", "end"]]',
    '[["start", "fork"], ["fork", "a"], ["fork", "b"], ["a", "merge"], ["b", "merge"], ["merge", "after"], ["after", "done"]]')) AS id;
CREATE TEMP TABLE r1 AS SELECT tests.automation_start((SELECT id FROM wf1)) AS id;
SELECT is((SELECT count(*) FROM automation.workflow_executions WHERE instance_id = (SELECT id FROM r1) AND node_id = 'after'), 2::bigint,
    'two tokens of a parallel fork that meet at an exclusive gateway run the step after it twice');
SELECT is((SELECT count(*) FROM automation.workflow_executions WHERE instance_id = (SELECT id FROM r1) AND node_id = 'done'), 2::bigint,
    'each token reaches the end on its own');
SELECT results_eq($$SELECT status::text, progress FROM automation.workflow_instances WHERE id = (SELECT id FROM r1)$$,
    $$VALUES ('completed', 100)$$, 'the run completes once no token is left');
SELECT is((SELECT count(*) FROM automation.workflow_tokens WHERE instance_id = (SELECT id FROM r1)), 0::bigint,
    'a completed run keeps no token');

-- a worker step with two incoming flows from a fork is visited once per token
CREATE TEMP TABLE wf2 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["scan", "action", {"connector": "http"}], ["done", "end"]]',
    '[["start", "scan"], ["start", "scan"], ["scan", "done"]]')) AS id;
CREATE TEMP TABLE r2 AS SELECT tests.automation_start((SELECT id FROM wf2)) AS id;
SELECT is(tests.automation_steps(id), 'start:completed scan:pending scan:pending',
    'a task reached by two tokens opens two steps') FROM r2;
SELECT is((SELECT count(*) FROM automation.workflow_tokens WHERE instance_id = (SELECT id FROM r2) AND state = 'waiting'), 2::bigint,
    'each open step holds its own waiting token');

-- a parallel join waits for a token on every incoming flow, counted in the rows
CREATE TEMP TABLE wf3 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["fork", "gateway", {"kind": "parallel"}], ["slow", "action", {"connector": "http"}], ["fast", "notification"],
      ["join", "gateway", {"kind": "parallel"}], ["done", "end"]]',
    '[["start", "fork"], ["fork", "slow"], ["fork", "fast"], ["slow", "join"], ["fast", "join"], ["join", "done"]]')) AS id;
CREATE TEMP TABLE r3 AS SELECT tests.automation_start((SELECT id FROM wf3)) AS id;
SELECT results_eq($$SELECT node_id::text, state::text, edge_id::text FROM automation.workflow_tokens WHERE instance_id = (SELECT id FROM r3) ORDER BY id$$,
    $$VALUES ('slow', 'waiting', 'e2'), ('join', 'joining', 'e5')$$,
    'the fast branch''s token waits at the join while the slow one is in its step');
SELECT lives_ok($$SELECT automation.complete_step(c.execution_id, '{}', 'w1') FROM automation.claim_steps('w1', ARRAY['action'], 60, 10) c$$,
    'the worker completes the slow step');
SELECT is(tests.automation_steps(id), 'start:completed fork:completed slow:completed fast:completed join:completed done:completed',
    'the join fires once, when the second token arrives') FROM r3;

-- a parallel join that can never get all its tokens fails the run with a message naming it
CREATE TEMP TABLE wf4 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["c", "condition", {"condition": {"field": "n", "operator": "less_than", "value": 5}}],
      ["join", "gateway", {"kind": "parallel"}], ["done", "end"]]',
    '[["start", "c"], ["c", "join", "true"], ["c", "join", "false"], ["join", "done"]]')) AS id;
CREATE TEMP TABLE r4 AS SELECT tests.automation_start((SELECT id FROM wf4), '{"n": 1}') AS id;
SELECT results_eq($$SELECT status::text, error_details FROM automation.workflow_instances WHERE id = (SELECT id FROM r4)$$,
    $$VALUES ('failed', 'the run is stuck: the join join waits for tokens on incoming flows that no token can reach any more')$$,
    'a parallel join behind an exclusive choice can never fire: the run fails naming the join');
SELECT is((SELECT count(*) FROM automation.workflow_tokens WHERE instance_id = (SELECT id FROM r4)), 0::bigint,
    'a failed run keeps no token');

-- a loop sends a second round of tokens to a parallel join; each round fires it once
CREATE TEMP TABLE wf5 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["m", "gateway", {"kind": "exclusive"}], ["fork", "gateway", {"kind": "parallel"}], ["a", "notification"],
      ["b", "action", {"connector": "http"}], ["join", "gateway", {"kind": "parallel"}], ["again", "gateway", {"kind": "exclusive"}], ["done", "end"]]',
    '[["start", "m"], ["m", "fork"], ["fork", "a"], ["fork", "b"], ["a", "join"], ["b", "join"], ["join", "again"],
      ["again", "m", null, {"conditions": [{"field": "more", "operator": "equals", "value": true}]}],
      ["again", "done", null, {"default": true}]]')) AS id;
CREATE TEMP TABLE r5 AS SELECT tests.automation_start((SELECT id FROM wf5)) AS id;
SELECT lives_ok($$SELECT automation.complete_step(c.execution_id, '{"variables": {"more": true}}', 'w1') FROM automation.claim_steps('w1', ARRAY['action'], 60, 10) c$$,
    'round one: the worker completes b and asks for another round');
SELECT lives_ok($$SELECT automation.complete_step(c.execution_id, '{"variables": {"more": false}}', 'w1') FROM automation.claim_steps('w1', ARRAY['action'], 60, 10) c$$,
    'round two: the worker completes b again');
SELECT results_eq($$SELECT node_id::text, count(*) FROM automation.workflow_executions WHERE instance_id = (SELECT id FROM r5)
                    AND node_id IN ('a', 'b', 'join', 'done') GROUP BY 1 ORDER BY 1$$,
    $$VALUES ('a', 2::bigint), ('b', 2::bigint), ('done', 1::bigint), ('join', 2::bigint)$$,
    'a loop visits its nodes once a round, one step row a visit, and the join after it fires once a round');

-- two tokens on one incoming flow: the join consumes one, the other stays for a later round
CREATE TEMP TABLE wf6 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["fork", "gateway", {"kind": "parallel"}], ["a1", "notification"], ["a2", "notification"],
      ["x", "gateway", {"kind": "exclusive"}], ["b", "action", {"connector": "http"}], ["join", "gateway", {"kind": "parallel"}], ["done", "end"]]',
    '[["start", "fork"], ["fork", "a1"], ["fork", "a2"], ["fork", "b"], ["a1", "x"], ["a2", "x"], ["x", "join"], ["b", "join"], ["join", "done"]]')) AS id;
CREATE TEMP TABLE r6 AS SELECT tests.automation_start((SELECT id FROM wf6)) AS id;
SELECT lives_ok($$SELECT automation.complete_step(c.execution_id, '{}', 'w1') FROM automation.claim_steps('w1', ARRAY['action'], 60, 10) c$$,
    'the worker completes b');
SELECT results_eq($$SELECT (SELECT count(*) FROM automation.workflow_executions WHERE instance_id = wi.id AND node_id = 'join'),
                           wi.status::text, wi.error_details FROM automation.workflow_instances wi WHERE wi.id = (SELECT id FROM r6)$$,
    $$VALUES (1::bigint, 'failed', 'the run is stuck: the join join waits for tokens on incoming flows that no token can reach any more')$$,
    'the join fires once for one token of each flow; the second token of flow x is left alone and the run reports it stuck');

-- an inclusive join waits only while a token can still reach it
CREATE TEMP TABLE wf7 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["fan", "gateway", {"kind": "inclusive"}], ["x", "action", {"connector": "http"}], ["y", "notification"],
      ["join", "gateway", {"kind": "inclusive"}], ["done", "end"]]',
    '[["start", "fan"],
      ["fan", "x", null, {"conditions": [{"field": "x", "operator": "exists"}]}],
      ["fan", "y", null, {"conditions": [{"field": "y", "operator": "exists"}]}],
      ["x", "join"], ["y", "join"], ["join", "done"]]')) AS id;
CREATE TEMP TABLE r7 AS SELECT tests.automation_start((SELECT id FROM wf7), '{"x": 1, "y": 1}') AS id;
SELECT is(tests.automation_steps(id), 'start:completed fan:completed x:pending y:completed',
    'an inclusive join waits while the worker step of a taken branch can still reach it') FROM r7;
SELECT lives_ok($$SELECT automation.complete_step(c.execution_id, '{}', 'w1') FROM automation.claim_steps('w1', ARRAY['action'], 60, 10) c$$,
    'the worker completes x');
SELECT is((SELECT count(*) FROM automation.workflow_executions WHERE instance_id = (SELECT id FROM r7) AND node_id = 'join'), 1::bigint,
    'the inclusive join fires once, after both taken branches');
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT id FROM r7)), 'completed', 'and the run completes');

-- every name is a variable: a variable called input is not the start input
CREATE TEMP TABLE wf8 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["fan", "gateway", {"kind": "exclusive"}], ["three", "notification"], ["other", "notification"]]',
    '[["start", "fan"],
      ["fan", "three", null, {"conditions": [{"field": "$variables.input", "operator": "equals", "value": 3}]}],
      ["fan", "other", null, {"default": true}]]')) AS id;
SELECT is(tests.automation_steps(tests.automation_start((SELECT id FROM wf8), '{"input": 3}')),
    'start:completed fan:completed three:completed',
    'a process variable named input is read as the variable');
SELECT is(automation.resolve_field('{"input": {"a": 1}, "variables": {"input": 3, "steps": [1]}, "steps": {"n": {"b": 2}}}', 'input'),
    '3'::jsonb, 'a plain path input names the variable input');
SELECT is(automation.resolve_field('{"input": {"a": 1}, "variables": {"input": 3, "steps": [1]}, "steps": {"n": {"b": 2}}}', 'steps'),
    '[1]'::jsonb, 'a plain path steps names the variable steps');
SELECT is(automation.resolve_field('{"input": {"a": 1}, "variables": {"input": 3}, "steps": {"n": {"b": 2}}}', '$input.a')
          || automation.resolve_field('{"input": {"a": 1}, "variables": {"input": 3}, "steps": {"n": {"b": 2}}}', '$steps.n.b'),
    '[1, 2]'::jsonb, '$input and $steps address the start input and the step outputs');

SELECT * FROM finish();
ROLLBACK;
