-- Multi-instance activities and loops (docs/graph-model.md, "Multi-instance and loops"): the
-- arriving token becomes the activity's body, its instances run inside it (parallel or
-- sequential, by cardinality or over a collection), each with its own loopCounter and element
-- variable; a completion condition cancels the instances still open; a boundary event on the
-- activity belongs to the body; a standard loop repeats while its condition holds.
BEGIN;
SELECT plan(25);

SELECT tests.cr_department('OPS');
SELECT tests.cr_queue('ops_q', 'OPS');
SELECT tests.cr_role('OPERATOR', 'ops_q', 'OPS');
SELECT tests.cr_user('ops1');
SELECT tests.cr_grant('ops1', 'OPERATOR');
SELECT tests.cr_user('ann', 'OPS');
SELECT tests.cr_grant('ann', 'OPERATOR');
SELECT tests.cr_user('bob', 'OPS');
SELECT tests.cr_grant('bob', 'OPERATOR');

-- complete one open task of a run (the oldest, or the one assigned to p_user) as that user
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
CREATE FUNCTION pg_temp.open_tasks(p_run uuid) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(task_definition_key || COALESCE('@' || assignee_id, ''), ' ' ORDER BY assignee_id, task_definition_key), '')
    FROM flowable.workflow_tasks WHERE process_instance_id = p_run::text AND status IN ('OPEN', 'CLAIMED');
$$;
CREATE FUNCTION pg_temp.visits(p_run uuid, p_node text) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(status, ' ' ORDER BY created_at, id), '') FROM automation.workflow_executions
    WHERE instance_id = p_run AND node_id = p_node;
$$;

-- 1. parallel over a collection: one task per item, each assigned to its element
CREATE TEMP TABLE wf1 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"],
      ["review", "task", {"queueName": "ops_q", "assignee": "{{reviewer}}", "multiInstance": {"collection": "reviewers", "elementVariable": "reviewer"}}],
      ["after", "notification"], ["done", "end"]]',
    '[["start", "review"], ["review", "after"], ["after", "done"]]')) AS id;
CREATE TEMP TABLE r1 AS SELECT tests.automation_start((SELECT id FROM wf1), '{"reviewers": ["ann", "bob", "ops1"]}') AS id;
SELECT is(pg_temp.open_tasks(id), 'review@ann review@bob review@ops1', 'one instance per item, all at once, each with its element variable') FROM r1;
SELECT is((SELECT locals FROM automation.workflow_tokens WHERE instance_id = (SELECT id FROM r1) AND state = 'scope'),
    '{"$mi": {"loop": false, "next": 1, "items": ["ann", "bob", "ops1"], "sequential": false}, "nrOfInstances": 3, "nrOfActiveInstances": 3, "nrOfCompletedInstances": 0}'::jsonb,
    'the body token holds the counters');
SELECT pg_temp.finish_task(id, 'bob') FROM r1;
SELECT is(pg_temp.visits(id, 'after'), '', 'the activity waits while instances are open') FROM r1;
SELECT is((SELECT locals ->> 'nrOfCompletedInstances' FROM automation.workflow_tokens WHERE instance_id = (SELECT id FROM r1) AND state = 'scope'),
    '1', 'a completed instance is counted');
SELECT pg_temp.finish_task(id, 'ann') FROM r1;
SELECT pg_temp.finish_task(id, 'ops1') FROM r1;
SELECT is(pg_temp.visits(id, 'review'), 'completed completed completed', 'three visits of the task, one a completed instance') FROM r1;
SELECT results_eq($$SELECT status::text, (SELECT count(*) FROM automation.workflow_executions e WHERE e.instance_id = wi.id AND e.node_id = 'after')::int
                    FROM automation.workflow_instances wi WHERE wi.id = (SELECT id FROM r1)$$,
    $$VALUES ('completed', 1)$$, 'when the last instance completes the token leaves once and the run completes');
SELECT is((SELECT output_data ? 'reviewer' OR output_data ? 'loopCounter' OR output_data ? 'nrOfInstances' FROM automation.workflow_instances WHERE id = (SELECT id FROM r1)),
    false, 'the locals of instances and the body never become run variables');

-- 2. sequential by cardinality: one at a time, loopCounter counts
CREATE TEMP TABLE wf2 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"],
      ["step", "task", {"queueName": "ops_q", "candidateGroups": ["OPERATOR"], "title": "round {{loopCounter}} of {{nrOfInstances}}",
                        "multiInstance": {"loopCardinality": "{{rounds}}", "sequential": true}}],
      ["done", "end"]]',
    '[["start", "step"], ["step", "done"]]')) AS id;
CREATE TEMP TABLE r2 AS SELECT tests.automation_start((SELECT id FROM wf2), '{"rounds": 3}') AS id;
SELECT is(pg_temp.open_tasks(id), 'step', 'a sequential activity opens one instance') FROM r2;
SELECT pg_temp.finish_task(id, 'ops1') FROM r2;
SELECT is(pg_temp.open_tasks(id), 'step', 'then the next') FROM r2;
SELECT is((SELECT string_agg(input_data ->> 'title', ', ' ORDER BY created_at) FROM automation.workflow_executions
           WHERE instance_id = (SELECT id FROM r2) AND node_id = 'step'),
    'round 0 of 3, round 1 of 3', 'each instance sees its loopCounter and the body''s counters');
SELECT pg_temp.finish_task(id, 'ops1') FROM r2;
SELECT pg_temp.finish_task(id, 'ops1') FROM r2;
SELECT results_eq($$SELECT status::text FROM automation.workflow_instances WHERE id = (SELECT id FROM r2)$$,
    $$VALUES ('completed')$$, 'after the third instance the run goes on');

-- 3. a completion condition cancels the instances still open
CREATE TEMP TABLE wf3 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"],
      ["vote", "task", {"queueName": "ops_q", "candidateGroups": ["OPERATOR"],
                        "multiInstance": {"loopCardinality": 3,
                                          "completionCondition": {"field": "nrOfCompletedInstances", "operator": "greater_than_or_equal", "value": 2}}}],
      ["done", "end"]]',
    '[["start", "vote"], ["vote", "done"]]')) AS id;
CREATE TEMP TABLE r3 AS SELECT tests.automation_start((SELECT id FROM wf3)) AS id;
SELECT pg_temp.finish_task(id, 'ops1') FROM r3;
SELECT pg_temp.finish_task(id, 'ops1') FROM r3;
SELECT is((SELECT string_agg(status, ' ' ORDER BY status) FROM automation.workflow_executions WHERE instance_id = r3.id AND node_id = 'vote'),
    'cancelled completed completed', 'two of three complete the activity, the third is cancelled') FROM r3;
SELECT results_eq($$SELECT wi.status::text, (SELECT count(*)::int FROM flowable.workflow_tasks t WHERE t.process_instance_id = wi.id::text AND t.status IN ('OPEN', 'CLAIMED'))
                    FROM automation.workflow_instances wi WHERE wi.id = (SELECT id FROM r3)$$,
    $$VALUES ('completed', 0)$$, 'its queue task is closed and the run completes');

-- 4. an empty collection: no instance, the token goes on at once
CREATE TEMP TABLE r4 AS SELECT tests.automation_start((SELECT id FROM wf1), '{"reviewers": []}') AS id;
SELECT results_eq($$SELECT status::text FROM automation.workflow_instances WHERE id = (SELECT id FROM r4)$$,
    $$VALUES ('completed')$$, 'no item, no instance: the activity is passed');
SELECT is(pg_temp.visits(id, 'review'), '', 'and it records no visit') FROM r4;
CREATE TEMP TABLE r4b AS SELECT tests.automation_start((SELECT id FROM wf1), '{"reviewers": "ann"}') AS id;
SELECT is((SELECT status || ': ' || error_details FROM automation.workflow_instances WHERE id = (SELECT id FROM r4b)),
    'failed: node review: the multi-instance collection reviewers is a string, not a list',
    'a collection that is no list fails the run, naming the node');

-- 5. a parallel multi-instance sub-process with an interrupting timer boundary on the body
CREATE TEMP TABLE wf5 AS SELECT tests.automation_deployed(jsonb_build_object(
    'nodes', jsonb_build_array(
        jsonb_build_object('id', 'start', 'type', 'trigger', 'position', jsonb_build_object('x', 0, 'y', 0), 'data', '{}'::jsonb),
        jsonb_build_object('id', 'sub', 'type', 'subprocess', 'position', jsonb_build_object('x', 100, 'y', 0),
                           'data', '{"multiInstance": {"loopCardinality": 2}}'::jsonb),
        jsonb_build_object('id', 'fix', 'type', 'task', 'parentId', 'sub', 'position', jsonb_build_object('x', 10, 'y', 10),
                           'data', '{"queueName": "ops_q", "candidateGroups": ["OPERATOR"], "title": "fix {{loopCounter}}"}'::jsonb),
        jsonb_build_object('id', 'late', 'type', 'event', 'position', jsonb_build_object('x', 100, 'y', 100),
                           'data', '{"event": "timer", "timer": {"duration": "PT1H"}, "attachedTo": "sub"}'::jsonb),
        jsonb_build_object('id', 'escalate', 'type', 'notification', 'position', jsonb_build_object('x', 200, 'y', 100), 'data', '{}'::jsonb),
        jsonb_build_object('id', 'done', 'type', 'end', 'position', jsonb_build_object('x', 300, 'y', 0), 'data', '{}'::jsonb)),
    'edges', jsonb_build_array(
        jsonb_build_object('id', 'f1', 'source', 'start', 'target', 'sub'),
        jsonb_build_object('id', 'f2', 'source', 'sub', 'target', 'done'),
        jsonb_build_object('id', 'f3', 'source', 'late', 'target', 'escalate'),
        jsonb_build_object('id', 'f4', 'source', 'escalate', 'target', 'done')))) AS id;
CREATE TEMP TABLE r5 AS SELECT tests.automation_start((SELECT id FROM wf5)) AS id;
SELECT is((SELECT string_agg(input_data ->> 'title', ', ' ORDER BY input_data ->> 'title') FROM automation.workflow_executions
           WHERE instance_id = (SELECT id FROM r5) AND node_id = 'fix'),
    'fix 0, fix 1', 'each sub-process instance runs its own nodes, which see its loopCounter');
SELECT is((SELECT count(*)::int FROM automation.workflow_event_subscriptions WHERE instance_id = (SELECT id FROM r5)), 1,
    'the boundary timer listens once, on the body');
UPDATE automation.workflow_event_subscriptions SET due_at = now() - interval '1 minute' WHERE instance_id = (SELECT id FROM r5);
SELECT is(automation.fire_due_timers(), 1, 'the timer fires');
SELECT results_eq($$SELECT wi.status::text, (SELECT string_agg(e.status, ' ' ORDER BY e.status) FROM automation.workflow_executions e
                                             WHERE e.instance_id = wi.id AND e.node_id IN ('sub', 'fix'))
                    FROM automation.workflow_instances wi WHERE wi.id = (SELECT id FROM r5)$$,
    $$VALUES ('completed', 'cancelled cancelled cancelled cancelled')$$,
    'an interrupting boundary on the activity cancels every instance and what runs inside it; the run goes on from the boundary');

-- 6. a standard loop: repeats while its condition holds (tested after each round)
CREATE TEMP TABLE wf6 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"],
      ["ask", "task", {"queueName": "ops_q", "candidateGroups": ["OPERATOR"],
                       "multiInstance": {"loopCondition": {"field": "again", "operator": "equals", "value": true}, "loopMaximum": 5}}],
      ["done", "end"]]',
    '[["start", "ask"], ["ask", "done"]]')) AS id;
CREATE TEMP TABLE r6 AS SELECT tests.automation_start((SELECT id FROM wf6)) AS id;
SELECT pg_temp.finish_task(id, 'ops1', '{"again": true}') FROM r6;
SELECT pg_temp.finish_task(id, 'ops1', '{"again": false}') FROM r6;
SELECT is(pg_temp.visits(id, 'ask') || ' / ' || (SELECT status FROM automation.workflow_instances WHERE id = r6.id),
    'completed completed / completed', 'the loop ran twice: again, then not') FROM r6;

-- 7. settings the engine cannot run are refused at save, naming the node
SELECT throws_ok($$SELECT automation.validate_workflow_graph(tests.automation_graph(
    '[["start", "trigger"], ["gw", "gateway", {"kind": "exclusive", "multiInstance": {"loopCardinality": 2}}], ["done", "end"]]',
    '[["start", "gw"], ["gw", "done"]]'))$$,
    'PW422', 'node gw: a gateway node cannot repeat; multiInstance goes on an activity', 'only activities repeat');
SELECT throws_ok($$SELECT automation.validate_workflow_graph(tests.automation_graph(
    '[["start", "trigger"], ["t", "manual", {"multiInstance": {"loopCardinality": 2, "collection": "xs"}}], ["done", "end"]]',
    '[["start", "t"], ["t", "done"]]'))$$,
    'PW422', 'node t: data.multiInstance needs exactly one of loopCardinality, collection, loopCondition', 'one way to count instances');
SELECT throws_ok($$SELECT automation.validate_workflow_graph(tests.automation_graph(
    '[["start", "trigger"], ["t", "manual", {"multiInstance": {"collection": "xs", "elementVariable": "a b"}}], ["done", "end"]]',
    '[["start", "t"], ["t", "done"]]'))$$,
    'PW422', 'node t: elementVariable must be a plain name, and needs a collection', 'an element variable is a name');
SELECT throws_ok($$SELECT automation.validate_workflow_graph(tests.automation_graph(
    '[["start", "trigger"], ["t", "manual", {"multiInstance": {"loopCardinality": -1}}], ["done", "end"]]',
    '[["start", "t"], ["t", "done"]]'))$$,
    'PW422', 'node t: loopCardinality -1 is neither a whole number nor a {{template}}', 'a cardinality is a whole number');

SELECT * FROM finish();
ROLLBACK;
