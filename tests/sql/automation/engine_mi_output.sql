-- Multi-instance output collections (docs/graph-model.md, "Multi-instance and loops"): what
-- each instance leaves in outputElement is collected, in instance order, into the list variable
-- outputCollection when the activity completes.
BEGIN;
SELECT plan(9);

SELECT tests.cr_department('OPS');
SELECT tests.cr_queue('ops_q', 'OPS');
SELECT tests.cr_role('OPERATOR', 'ops_q', 'OPS');
SELECT tests.cr_user('ops1', 'OPS');
SELECT tests.cr_grant('ops1', 'OPERATOR');
SELECT tests.cr_user('ann', 'OPS');
SELECT tests.cr_grant('ann', 'OPERATOR');
SELECT tests.cr_user('bob', 'OPS');
SELECT tests.cr_grant('bob', 'OPERATOR');

-- complete the open task of a run assigned to p_user (or the oldest unassigned one) with form data
CREATE FUNCTION pg_temp.finish_task(p_run uuid, p_user text, p_data jsonb DEFAULT '{}') RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_task varchar;
BEGIN
    SELECT task_id INTO v_task FROM flowable.workflow_tasks
    WHERE process_instance_id = p_run::text AND status IN ('OPEN', 'CLAIMED')
      AND (assignee_id IS NULL OR assignee_id = p_user)
    ORDER BY (assignee_id IS NULL), created_at, task_id LIMIT 1;
    PERFORM set_config('app.current_user_id', p_user, true);
    IF (SELECT assignee_id FROM flowable.workflow_tasks WHERE task_id = v_task) IS NULL THEN
        PERFORM flowable.claim_task(v_task);
    END IF;
    PERFORM flowable.complete_task(v_task, 'done', NULL, p_data);
    PERFORM set_config('app.current_user_id', '', true);
END;
$$;
CREATE FUNCTION pg_temp.variable(p_run uuid, p_name text) RETURNS jsonb LANGUAGE sql AS $$
    SELECT execution_context #> ARRAY['variables', p_name] FROM automation.workflow_instances WHERE id = p_run;
$$;

-- 1. parallel over a collection, completed out of order: the list follows the instances
CREATE TEMP TABLE wf1 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"],
      ["review", "task", {"queueName": "ops_q", "assignee": "{{reviewer}}",
                          "multiInstance": {"collection": "reviewers", "elementVariable": "reviewer",
                                            "outputCollection": "verdicts", "outputElement": "verdict"}}],
      ["check", "condition", {"condition": {"expr": {"op": "size", "args": [{"path": "verdicts"}]}, "operator": "equals", "value": 3}}],
      ["yes", "end"], ["no", "end"]]',
    '[["start", "review"], ["review", "check"], ["check", "yes", "true"], ["check", "no", "false"]]')) AS id;
CREATE TEMP TABLE r1 AS SELECT tests.automation_start((SELECT id FROM wf1), '{"reviewers": ["ann", "bob", "ops1"]}') AS id;
SELECT pg_temp.finish_task(id, 'bob', '{"verdict": "no"}') FROM r1;
SELECT pg_temp.finish_task(id, 'ops1', '{"verdict": "maybe"}') FROM r1;
SELECT is(pg_temp.variable(id, 'verdicts'), NULL, 'the output collection is set only when the activity completes') FROM r1;
SELECT pg_temp.finish_task(id, 'ann', '{"verdict": "yes"}') FROM r1;
SELECT is(pg_temp.variable(id, 'verdicts'), '["yes", "no", "maybe"]'::jsonb,
    'each instance''s outputElement is collected in instance order, not in the order they completed') FROM r1;
SELECT results_eq($$SELECT status::text, (SELECT count(*) FROM automation.workflow_executions e WHERE e.instance_id = wi.id AND e.node_id = 'yes')::int
                    FROM automation.workflow_instances wi WHERE wi.id = (SELECT id FROM r1)$$,
    $$VALUES ('completed', 1)$$, 'the node after the activity reads the list (its size is 3) and the run completes');

-- 2. a completion condition cancels the last instance: its place in the list is null
CREATE TEMP TABLE wf2 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"],
      ["review", "task", {"queueName": "ops_q", "assignee": "{{reviewer}}",
                          "multiInstance": {"collection": "reviewers", "elementVariable": "reviewer",
                                            "outputCollection": "scores", "outputElement": "score",
                                            "completionCondition": {"field": "nrOfCompletedInstances", "operator": "greater_than_or_equal", "value": 2}}}],
      ["done", "end"]]',
    '[["start", "review"], ["review", "done"]]')) AS id;
CREATE TEMP TABLE r2 AS SELECT tests.automation_start((SELECT id FROM wf2), '{"reviewers": ["ann", "bob", "ops1"]}') AS id;
SELECT pg_temp.finish_task(id, 'ops1', '{"score": 3}') FROM r2;
SELECT pg_temp.finish_task(id, 'ann', '{"score": 5}') FROM r2;
SELECT is(pg_temp.variable(id, 'scores'), '[5, null, 3]'::jsonb,
    'an instance the completion condition cancelled leaves null in its place') FROM r2;

-- 3. sequential by cardinality: the element may be a path into what the instance put out
CREATE TEMP TABLE wf3 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"],
      ["step", "task", {"queueName": "ops_q", "candidateGroups": ["OPERATOR"],
                        "multiInstance": {"loopCardinality": 2, "sequential": true,
                                          "outputCollection": "results", "outputElement": "result.value"}}],
      ["done", "end"]]',
    '[["start", "step"], ["step", "done"]]')) AS id;
CREATE TEMP TABLE r3 AS SELECT tests.automation_start((SELECT id FROM wf3), '{}') AS id;
SELECT pg_temp.finish_task(id, 'ops1', '{"result": {"value": "first"}}') FROM r3;
SELECT pg_temp.finish_task(id, 'ops1', '{"result": {"value": "second"}}') FROM r3;
SELECT is(pg_temp.variable(id, 'results'), '["first", "second"]'::jsonb,
    'a sequential activity collects each round''s value at the outputElement path') FROM r3;

-- 4. an empty collection: no instance, the output collection is the empty list
CREATE TEMP TABLE r4 AS SELECT tests.automation_start((SELECT id FROM wf1), '{"reviewers": []}') AS id;
SELECT results_eq($$SELECT status::text, execution_context #> '{variables,verdicts}' FROM automation.workflow_instances WHERE id = (SELECT id FROM r4)$$,
    $$VALUES ('completed', '[]'::jsonb)$$, 'with no instance the output collection is the empty list and the token goes on');

-- 5. the model validation: the two settings go together and are names
SELECT throws_like($$SELECT automation.validate_workflow_graph(tests.automation_graph(
    '[["start", "trigger"], ["step", "task", {"queueName": "ops_q", "multiInstance": {"loopCardinality": 2, "outputCollection": "out"}}], ["done", "end"]]',
    '[["start", "step"], ["step", "done"]]'))$$,
    '%node step: outputCollection and outputElement go together%', 'an outputCollection without an outputElement is refused naming the node');
SELECT throws_like($$SELECT automation.validate_workflow_graph(tests.automation_graph(
    '[["start", "trigger"], ["step", "task", {"queueName": "ops_q", "multiInstance": {"loopCardinality": 2, "outputCollection": "a.b", "outputElement": "x"}}], ["done", "end"]]',
    '[["start", "step"], ["step", "done"]]'))$$,
    '%node step: outputCollection must be a plain name and outputElement a variable path%', 'an outputCollection that is no plain name is refused');
SELECT throws_like($$SELECT automation.validate_workflow_graph(tests.automation_graph(
    '[["start", "trigger"], ["step", "task", {"queueName": "ops_q", "multiInstance": {"loopCondition": {"field": "x", "operator": "exists"}, "outputCollection": "o", "outputElement": "x"}}], ["done", "end"]]',
    '[["start", "step"], ["step", "done"]]'))$$,
    '%node step: outputCollection and outputElement go together, on a multi-instance activity%', 'a standard loop has no output collection');

SELECT * FROM finish();
ROLLBACK;
