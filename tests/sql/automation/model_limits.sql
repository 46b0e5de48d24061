-- Bounded cost (issue 16, item 5): the model checkers need workflow_admin before any work, and
-- every size limit (automation.model_limit, docs/api.md "Limits the database enforces") is refused
-- by name with the actual size before the expensive work starts.
BEGIN;
SELECT plan(21);

SELECT tests.cr_user('mallory'), tests.workflow_admin('modeler');
CREATE TEMP TABLE g AS SELECT tests.automation_graph('[["start", "trigger"], ["done", "end"]]', '[["start", "done"]]') AS graph,
    '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p" isExecutable="true"><startEvent id="s"/><endEvent id="e"/><sequenceFlow id="f" sourceRef="s" targetRef="e"/></process></definitions>'::text AS bpmn;
-- a chain of n nodes
CREATE FUNCTION pg_temp.chain(n integer) RETURNS jsonb LANGUAGE sql AS $$
    SELECT jsonb_build_object(
        'nodes', jsonb_agg(jsonb_build_object('id', 'n' || i, 'type', CASE i WHEN 1 THEN 'trigger' WHEN n THEN 'end' ELSE 'action' END,
                                              'position', jsonb_build_object('x', i, 'y', 0), 'data', '{}'::jsonb) ORDER BY i),
        'edges', COALESCE((SELECT jsonb_agg(jsonb_build_object('id', 'e' || j, 'source', 'n' || j, 'target', 'n' || (j + 1)) ORDER BY j)
                           FROM generate_series(1, n - 1) j), '[]'))
    FROM generate_series(1, n) i $$;
GRANT SELECT ON g TO PUBLIC;

-- permission first
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('mallory');
SELECT throws_ok($$SELECT automation.validate_workflow_graph((SELECT graph FROM g))$$, 'PW403',
    'user mallory may not validate workflow models: it needs the workflow_admin permission', 'validating a drawn model needs workflow_admin');
SELECT throws_ok($$SELECT automation.validate_workflow_graph('"not even a graph"')$$, 'PW403', NULL,
    'the permission is checked before the graph is looked at');
SELECT throws_ok($$SELECT flowable.bpmn_compile((SELECT bpmn FROM g))$$, 'PW403',
    'user mallory may not compile BPMN documents: it needs the workflow_admin permission', 'compiling BPMN needs workflow_admin');
SELECT throws_ok($$SELECT flowable.bpmn_compile('not xml')$$, 'PW403', NULL, 'before the document is parsed');
SELECT throws_ok($$SELECT flowable.bpmn_to_graph((SELECT bpmn FROM g))$$, 'PW403', NULL, 'bpmn_to_graph too');
SELECT throws_ok($$SELECT flowable.bpmn_check((SELECT bpmn FROM g))$$, 'PW403',
    'user mallory may not check BPMN documents: it needs the workflow_admin permission', 'checking a BPMN deployment needs workflow_admin');
SELECT tests.as_user('modeler');
SELECT lives_ok($$SELECT automation.validate_workflow_graph((SELECT graph FROM g))$$, 'a workflow_admin validates');
SELECT lives_ok($$SELECT flowable.bpmn_compile((SELECT bpmn FROM g))$$, 'a workflow_admin compiles');
RESET ROLE;

-- graph size, checked first
SELECT throws_ok($$SELECT automation.validate_workflow_graph(pg_temp.chain(2001))$$, 'PW422',
    'the workflow has 2001 nodes; the limit graph_nodes is 2000', 'a graph over 2,000 nodes is refused, naming the limit and its size');
SELECT throws_ok($$SELECT automation.validate_workflow_graph(jsonb_build_object('nodes', '[]'::jsonb,
                     'edges', (SELECT jsonb_agg(jsonb_build_object('id', 'e' || i)) FROM generate_series(1, 4001) i)))$$, 'PW422',
    'the workflow has 4001 edges; the limit graph_edges is 4000', 'a graph over 4,000 edges is refused');
CREATE TEMP TABLE at_limit AS SELECT pg_temp.chain(2000) AS graph;
CREATE TEMP TABLE t0 AS SELECT clock_timestamp() AS t;
SELECT lives_ok($$SELECT automation.validate_workflow_graph((SELECT graph FROM at_limit))$$, 'a graph at the limit validates');
SELECT cmp_ok(extract(epoch FROM clock_timestamp() - (SELECT t FROM t0)), '<', 2::numeric,
    'and fast (linear checks: well under 2 s for 2,000 nodes)');

-- conditions
SELECT throws_like(format($$SELECT automation.validate_workflow_graph(tests.automation_graph(
        '[["start", "trigger"], ["g", "gateway"], ["a", "end"], ["b", "end"]]',
        '[["start", "g"], ["g", "a", null, {"conditions": [{"field": "x", "operator": "equals", "value": "%s"}]}], ["g", "b", null, {"default": true}]]'))$$,
        repeat('y', 4000)),
    '%edge e2 has a condition of 40__ characters; the limit condition_chars is 4000%', 'an edge condition over 4,000 characters is refused');

-- BPMN elements, counted before parsing
SELECT throws_ok(format($$SELECT flowable.bpmn_compile(%L)$$,
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p">' || repeat('<documentation/>', 50001) || '</process></definitions>'),
    'PW422', 'BPMN document refused: it has 50003 elements; the limit bpmn_elements is 50000', 'a BPMN document over 50,000 elements is refused');

-- variables: value size and depth
CREATE TEMP TABLE wf AS SELECT tests.automation_deployed((SELECT graph FROM g)) AS id;
SELECT throws_like($$SELECT tests.automation_start((SELECT id FROM wf), jsonb_build_object('blob', repeat('x', 1100000)))$$,
    '%the run''s input is refused: it is 11_____ bytes; the limit variable_bytes is 1048576%', 'a run input over 1 MB is refused');
SELECT lives_ok($$SELECT tests.automation_start((SELECT id FROM wf), jsonb_build_object('deep', repeat('[', 40) || repeat(']', 40)))$$,
    'a string that looks deep is no nesting');
SELECT throws_like($$SELECT tests.automation_start((SELECT id FROM wf), jsonb_build_object('deep', (repeat('[', 40) || repeat(']', 40))::jsonb))$$,
    '%nests objects and arrays more than 32 deep; the limit variable_depth is 32%', 'a run input nested more than 32 deep is refused');
SELECT throws_like($$SELECT flowable.write_variable('p1', NULL, 'big', 'STRING', to_jsonb(repeat('x', 1100000)))$$,
    '%value of variable big is refused: it is % bytes; the limit variable_bytes is 1048576%', 'a process variable over 1 MB is refused');

-- tasks a step creates: priority and due date from run data
SELECT tests.cr_queue('lq');
CREATE TEMP TABLE wt AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["t", "task", {"queueName": "lq", "priority": "{{$input.p}}", "dueInMinutes": "{{$input.due}}"}], ["done", "end"]]',
    '[["start", "t"], ["t", "done"]]')) AS id;
CREATE TEMP TABLE r1 AS SELECT tests.automation_start((SELECT id FROM wt), '{"p": 1000, "due": 5}') AS id;
CREATE TEMP TABLE r2 AS SELECT tests.automation_start((SELECT id FROM wt), '{"p": 5, "due": 99999999}') AS id;
SELECT alike((SELECT error_details FROM automation.workflow_instances WHERE id = (SELECT id FROM r1)),
    '%node t%task priority 1000 is out of range: a whole number from 0 to 100%', 'a task priority out of range fails the run, naming node and value');
SELECT alike((SELECT error_details FROM automation.workflow_instances WHERE id = (SELECT id FROM r2)),
    '%node t%task due date % is out of range: at most 36500 days%', 'a due date too far ahead fails the run, naming node and value');

-- task comments
SELECT tests.as_user('modeler');
SELECT throws_ok($$SELECT flowable.add_task_comment('t1', repeat('c', 10001))$$, 'PW422',
    'add_task_comment: the comment on task t1 is 10001 characters; the limit comment_chars is 10000', 'a task comment over 10,000 characters is refused');

SELECT * FROM finish();
ROLLBACK;
