-- Worker topics: claim_steps' p_topics leases only the steps on those topics (the node's
-- connector), leaving the others for the workers that subscribe to them; worker_topics lists
-- what active versions need and what pending steps wait on, so no topic waits unseen.
BEGIN;
SELECT plan(6);

CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["fork", "gateway", {"kind": "parallel"}], ["mail", "action", {"connector": "email"}],
      ["score", "action", {"connector": "creditScore"}], ["join", "gateway", {"kind": "parallel"}], ["done", "end"]]',
    '[["start", "fork"], ["fork", "mail"], ["fork", "score"], ["mail", "join"], ["score", "join"], ["join", "done"]]')) AS id;
CREATE TEMP TABLE r AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;

SELECT results_eq($$SELECT topic::text, cardinality(workflow_keys), waiting_steps FROM automation.worker_topics() ORDER BY topic$$,
    $$VALUES ('creditScore', 1, 1::bigint), ('email', 1, 1::bigint)$$,
    'worker_topics lists each topic the active version needs, with the steps waiting on it');
CREATE TEMP TABLE c1 AS SELECT * FROM automation.claim_steps('w1', ARRAY['action'], 60, 10, ARRAY['email', 'http']);
SELECT results_eq($$SELECT node_id::text FROM c1$$, $$VALUES ('mail')$$,
    'a worker naming its topics leases only the steps on them');
SELECT is((SELECT status FROM automation.workflow_executions WHERE instance_id = (SELECT id FROM r) AND node_id = 'score'), 'pending',
    'the step on another topic stays pending for the worker of that topic');
SELECT is((SELECT count(*)::int FROM automation.claim_steps('w2', ARRAY['action'], 60, 10, ARRAY['email'])), 0,
    'nothing else is on the worker''s topics');
SELECT results_eq($$SELECT node_id::text FROM automation.claim_steps('w3', ARRAY['action'], 60, 10, ARRAY['creditScore'])$$,
    $$VALUES ('score')$$, 'the worker of the other topic takes its step');
SELECT results_eq($$SELECT topic::text, waiting_steps FROM automation.worker_topics() ORDER BY topic$$,
    $$VALUES ('creditScore', 0::bigint), ('email', 0::bigint)$$,
    'once leased, no step waits on either topic');

SELECT * FROM finish();
ROLLBACK;
