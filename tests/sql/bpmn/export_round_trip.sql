-- flowable.bpmn_from_graph: a graph drawn in the editor (node types BPMN has
-- no element for) exports as BPMN 2.0 with diagram interchange and compiles
-- back to the same graph.
BEGIN;
SELECT plan(12);

CREATE TEMP TABLE drawn AS SELECT '{
  "nodes": [
    {"id": "scan", "type": "trigger", "position": {"x": 0, "y": 40},
     "data": {"label": "Nightly scan", "triggerType": "schedule", "cronExpression": "0 2 * * *", "timezone": "UTC"}},
    {"id": "check", "type": "condition", "position": {"x": 200, "y": 40},
     "data": {"label": "CVSS > 7?", "condition": {"field": "cvss_score", "operator": "greater_than", "value": 7}}},
    {"id": "approve", "type": "approval", "position": {"x": 400, "y": 0},
     "data": {"label": "Security sign-off", "approverRole": "SEC_LEAD", "expiresInMinutes": 1440, "message": "Patch now?"}},
    {"id": "patch", "type": "action", "position": {"x": 600, "y": 0},
     "data": {"label": "Open issue", "connector": "gitlab", "connection": "gitlab-main",
              "input": {"title": "Patch {{$input.host}}"}, "maxRetries": 5}},
    {"id": "tell", "type": "notification", "position": {"x": 600, "y": 160},
     "data": {"label": "Tell ops", "channel": "slack", "recipients": ["#ops"], "message": "Low risk finding"}},
    {"id": "review", "type": "task", "position": {"x": 800, "y": 80},
     "data": {"label": "Review fix", "queueName": "SEC_REVIEW", "candidateGroups": ["security"], "priority": "{{$input.priority}}",
              "dueInMinutes": 90, "formKey": "fix-review"}},
    {"id": "done", "type": "end", "position": {"x": 1000, "y": 80}, "data": {"label": "Done", "terminate": true}}
  ],
  "edges": [
    {"id": "e1", "source": "scan", "target": "check", "type": "smoothstep"},
    {"id": "e2", "source": "check", "target": "approve", "type": "smoothstep", "sourceHandle": "true"},
    {"id": "e3", "source": "check", "target": "tell", "type": "smoothstep", "sourceHandle": "false"},
    {"id": "e4", "source": "approve", "target": "patch", "type": "smoothstep", "sourceHandle": "approved"},
    {"id": "e5", "source": "approve", "target": "done", "type": "smoothstep", "sourceHandle": "rejected"},
    {"id": "e6", "source": "patch", "target": "review", "type": "smoothstep",
     "data": {"conditions": [{"field": "$steps.patch.status", "operator": "in", "value": ["created", "updated"]}]}},
    {"id": "e7", "source": "tell", "target": "review", "type": "smoothstep",
     "data": {"conditions": [{"field": "severity", "operator": "not_equals", "value": "info"}]}},
    {"id": "e8", "source": "review", "target": "done", "type": "smoothstep"}
  ],
  "viewport": {"x": 0, "y": 0, "zoom": 1}
}'::jsonb AS graph;

CREATE TEMP TABLE exported AS
    SELECT flowable.bpmn_from_graph(graph, 'secPatch', 'Security patching', 'Drawn in the editor') AS bpmn FROM drawn;

SELECT ok(xml_is_well_formed_document((SELECT bpmn FROM exported)), 'the export is a well-formed XML document');
SELECT is((SELECT flowable.bpmn_compile(bpmn) -> 'graph' FROM exported), (SELECT graph FROM drawn),
    'the export compiles back to exactly the drawn graph');
SELECT is((SELECT flowable.bpmn_compile(bpmn) -> 'process' FROM exported),
    '{"id": "secPatch", "name": "Security patching", "documentation": "Drawn in the editor", "isExecutable": true}'::jsonb,
    'the process key, name and documentation are exported');

SELECT is((SELECT array_agg(x::text ORDER BY n) FROM exported,
           unnest(xpath('/b:definitions/b:process/*/@id', bpmn::xml,
                        ARRAY[ARRAY['b', 'http://www.omg.org/spec/BPMN/20100524/MODEL']])) WITH ORDINALITY AS t(x, n)),
    ARRAY['scan', 'check', 'approve', 'patch', 'tell', 'review', 'done', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8'],
    'every node and edge becomes one BPMN flow element with its id');
SELECT results_eq($$SELECT (xpath('local-name(/*)', x))[1]::text FROM exported,
           unnest(xpath('/b:definitions/b:process/*[local-name() != ''sequenceFlow'' and local-name() != ''documentation'']', bpmn::xml,
                        ARRAY[ARRAY['b', 'http://www.omg.org/spec/BPMN/20100524/MODEL']])) x$$,
    $$VALUES ('startEvent'), ('exclusiveGateway'), ('userTask'), ('serviceTask'), ('sendTask'), ('userTask'), ('endEvent')$$,
    'each node type is written as its nearest BPMN element');
SELECT is((SELECT (xpath('/b:definitions/b:process/b:userTask[@id="review"]/@f:candidateGroups', bpmn::xml,
                   ARRAY[ARRAY['b', 'http://www.omg.org/spec/BPMN/20100524/MODEL'], ARRAY['f', 'http://flowable.org/bpmn']]))[1]::text
           FROM exported), 'security', 'a task''s candidate groups are written as flowable:candidateGroups');
SELECT is((SELECT (xpath('/b:definitions/b:process/b:userTask[@id="review"]/@f:dueDate', bpmn::xml,
                   ARRAY[ARRAY['b', 'http://www.omg.org/spec/BPMN/20100524/MODEL'], ARRAY['f', 'http://flowable.org/bpmn']]))[1]::text
           FROM exported), 'PT90M', 'a due time in minutes is written as an ISO 8601 duration');
SELECT is((SELECT (xpath('/b:definitions/b:process/b:sequenceFlow[@id="e7"]/b:conditionExpression/text()', bpmn::xml,
                   ARRAY[ARRAY['b', 'http://www.omg.org/spec/BPMN/20100524/MODEL']]))[1]::text FROM exported),
    '${severity != "info"}', 'a condition the grammar can spell is written as a conditionExpression');
SELECT is((SELECT count(*)::integer FROM exported,
           unnest(xpath('/b:definitions/b:process/b:sequenceFlow[@id="e6"]/b:conditionExpression', bpmn::xml,
                        ARRAY[ARRAY['b', 'http://www.omg.org/spec/BPMN/20100524/MODEL']]))), 0,
    'a condition the grammar cannot spell ("in") travels as pgwf data instead');
SELECT is((SELECT count(*)::integer FROM exported,
           unnest(xpath('//di:BPMNShape/dc:Bounds', bpmn::xml,
                        ARRAY[ARRAY['di', 'http://www.omg.org/spec/BPMN/20100524/DI'], ARRAY['dc', 'http://www.omg.org/spec/DD/20100524/DC']]))), 7,
    'diagram interchange has a shape with bounds for every node');
SELECT is((SELECT count(*)::integer FROM exported,
           unnest(xpath('//di:BPMNEdge[count(ddi:waypoint) = 2]', bpmn::xml,
                        ARRAY[ARRAY['di', 'http://www.omg.org/spec/BPMN/20100524/DI'], ARRAY['ddi', 'http://www.omg.org/spec/DD/20100524/DI']]))), 8,
    'diagram interchange has an edge with two waypoints for every flow');
SELECT throws_ok($$SELECT flowable.bpmn_from_graph('{"nodes": [{"id": "x", "type": "robot", "data": {}}], "edges": []}', 'p')$$,
    'PW422', 'node "x" has type "robot", which has no BPMN element', 'a node type outside the graph model is refused');

SELECT * FROM finish();
ROLLBACK;
