-- Service task implementations as worker steps (docs/bpmn.md, "Service tasks and workers"):
-- Camunda's http-connector is an http step whose url, method, headers and payload are the
-- http connector's input; outputParameters are the step's output mapping, applied by the
-- engine when the step completes.
BEGIN;
SELECT plan(10);

CREATE TEMP VIEW docs AS SELECT tests.bpmn_linear(
    '<serviceTask id="step" name="Create ticket"><extensionElements><camunda:connector><camunda:connectorId>http-connector</camunda:connectorId>'
    || '<camunda:inputOutput><camunda:inputParameter name="url">${baseUrl}/tickets</camunda:inputParameter>'
    || '<camunda:inputParameter name="method">POST</camunda:inputParameter>'
    || '<camunda:inputParameter name="headers"><camunda:map><camunda:entry key="Content-Type">application/json</camunda:entry></camunda:map></camunda:inputParameter>'
    || '<camunda:inputParameter name="payload">{"title": "${title}", "priority": 2}</camunda:inputParameter>'
    || '<camunda:outputParameter name="ticket">${response}</camunda:outputParameter>'
    || '<camunda:outputParameter name="httpStatus">${statusCode}</camunda:outputParameter>'
    || '</camunda:inputOutput></camunda:connector></extensionElements></serviceTask>', 'tickets') AS v;
GRANT SELECT ON docs TO PUBLIC;

SELECT is(tests.bpmn_node((SELECT v FROM docs), 'step') -> 'data',
    '{"label": "Create ticket", "connector": "http", "implementation": {"connectorId": "http-connector"},
      "input": {"url": "{{baseUrl}}/tickets", "method": "POST", "headers": {"Content-Type": "application/json"},
                "body": {"title": "{{title}}", "priority": 2}},
      "outputs": {"ticket": "{{response}}", "httpStatus": "{{statusCode}}"}}'::jsonb,
    'an http-connector is an http step: url, method, headers and a JSON payload are its input, outputParameters its output mapping');
SELECT is(tests.bpmn_node(tests.bpmn_linear(
    '<serviceTask id="step"><extensionElements><camunda:connector><camunda:connectorId>http-connector</camunda:connectorId>'
    || '<camunda:inputOutput><camunda:inputParameter name="url">http://x</camunda:inputParameter>'
    || '<camunda:inputParameter name="payload">plain ${text}</camunda:inputParameter>'
    || '<camunda:inputParameter name="timeout">5</camunda:inputParameter>'
    || '</camunda:inputOutput></camunda:connector></extensionElements></serviceTask>'), 'step') -> 'data',
    '{"label": "step", "connector": "http", "implementation": {"connectorId": "http-connector"},
      "input": {"url": "http://x", "body": "plain {{text}}"}, "inputs": {"timeout": "5"}}'::jsonb,
    'a payload that is not JSON is sent as text; other parameters stay inputs');
SELECT is((tests.bpmn_node(tests.bpmn_linear(
    '<serviceTask id="step" flowable:type="http"><extensionElements>'
    || '<flowable:field name="requestMethod" stringValue="POST"/><flowable:field name="requestUrl" stringValue="http://x/api"/>'
    || '<flowable:field name="requestHeaders"><flowable:string>Content-Type: application/json
Accept: text/plain</flowable:string></flowable:field>'
    || '<flowable:field name="requestBody"><flowable:expression>{"n": "${n}"}</flowable:expression></flowable:field>'
    || '<flowable:field name="responseVariableName" stringValue="answer"/>'
    || '</extensionElements></serviceTask>'), 'step') -> 'data') - 'fields',
    '{"label": "step", "connector": "http", "implementation": {"type": "http"},
      "input": {"url": "http://x/api", "method": "POST", "headers": {"Content-Type": "application/json", "Accept": "text/plain"}, "body": {"n": "{{n}}"}},
      "outputs": {"answer": "{{body}}"}}'::jsonb,
    'a Flowable http task''s request fields are the http connector''s input and responseVariableName gets the response body');
SELECT throws_like($$SELECT flowable.bpmn_compile(tests.bpmn_linear(
    '<businessRuleTask id="step" camunda:decisionRef="d"><extensionElements><camunda:inputOutput>'
    || '<camunda:outputParameter name="result1">${decisionResult.getSingleResult().result1}</camunda:outputParameter>'
    || '</camunda:inputOutput></extensionElements></businessRuleTask>'))$$,
    '%step: the outputParameter result1 is the expression ${decisionResult.getSingleResult().result1}; an output mapping reads ${variable} paths and constants%',
    'an output parameter that calls methods is refused naming the element');

SELECT is(tests.bpmn_node(tests.bpmn_linear(
    '<serviceTask id="step" flowable:type="external-worker" flowable:topic="score"><extensionElements>'
    || '<flowable:in source="amount" target="value"/><flowable:out source="result" target="score"/>'
    || '<flowable:out sourceExpression="${answer.text}" target="text"/></extensionElements></serviceTask>'), 'step') -> 'data',
    '{"label": "step", "connector": "score", "inputs": {"value": "{{amount}}"}, "outputs": {"score": "{{result}}", "text": "{{answer.text}}"}}'::jsonb,
    'Flowable''s in and out mappings on a service task are its input parameters and its output mapping');
SELECT throws_like($$SELECT flowable.bpmn_compile(tests.bpmn_linear(
    '<serviceTask id="step" flowable:class="a.B"><extensionElements><flowable:out sourceExpression="${a + 1}" target="x"/></extensionElements></serviceTask>'))$$,
    '%step: the out mapping ${a + 1} is outside the grammar%', 'an out mapping that computes is refused naming the element');

-- run it: the worker gets the filled input, and the mapping sets variables from what it put out
SELECT tests.workflow_admin('deployer');
INSERT INTO entitlements.users (user_id, username) VALUES ('alice', 'alice') ON CONFLICT (user_id) DO NOTHING;
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('deployer');
SELECT flowable.deploy_process((SELECT v FROM docs));
SELECT tests.as_user('alice');
CREATE TEMP TABLE run AS SELECT flowable.start_process('tickets', p_variables => '{"baseUrl": "https://desk.example", "title": "Printer", "httpStatus": 0}') AS id;
RESET ROLE;
SET LOCAL ROLE pgwf_test_worker;
CREATE TEMP TABLE claimed AS SELECT * FROM automation.claim_steps('w1', p_topics => ARRAY['http']);
SELECT is((SELECT input_data -> 'input' FROM claimed),
    '{"url": "https://desk.example/tickets", "method": "POST", "headers": {"Content-Type": "application/json"}, "body": {"title": "Printer", "priority": 2}}'::jsonb,
    'the http worker step''s input is filled from the run''s variables');
SELECT automation.complete_step((SELECT execution_id FROM claimed), '{"status": 201, "body": {"id": 7}}', 'w1');
RESET ROLE;
SELECT results_eq($$SELECT execution_context #> '{variables,ticket}', execution_context #> '{variables,httpStatus}', status::text
                    FROM automation.workflow_instances wi
                    WHERE wi.id = (SELECT instance_id FROM automation.workflow_executions WHERE id = (SELECT execution_id FROM claimed))$$,
    $$VALUES ('{"id": 7}'::jsonb, '201'::jsonb, 'completed')$$,
    'when the step completes its output mapping sets the variables (response and statusCode of the http connector)');

-- a drawn worker step with outputs: keys of the output and its variables, over the run's
CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["call", "action", {"connector": "x", "outputs": {"copy": "{{answer}}", "both": "{{answer}}-{{seen}}", "gone": "{{nothing}}"}}], ["done", "end"]]',
    '[["start", "call"], ["call", "done"]]')) AS id;
CREATE TEMP TABLE run2 AS SELECT tests.automation_start((SELECT id FROM wf), '{"seen": "yes"}') AS id;
SELECT count(*) FROM automation.claim_steps('w2', p_topics => ARRAY['x']);
SELECT automation.complete_step(tests.automation_step_id((SELECT id FROM run2), 'call'), '{"answer": 42}', 'w2');
SELECT is((SELECT execution_context -> 'variables' FROM automation.workflow_instances WHERE id = (SELECT id FROM run2)),
    '{"seen": "yes", "copy": 42, "both": "42-yes", "gone": null}'::jsonb,
    'a drawn step''s outputs mapping reads the step''s output over the run''s variables; a missing path sets null');
SELECT is(automation.engine_output_mapping('{"outputs": {"v": "{{variables.a}}", "w": "{{b}}"}}', '{"variables": {"b": 2}}', '{"variables": {"b": 1, "variables": {"a": 3}}}'),
    '{"v": 3, "w": 2}'::jsonb, 'the step''s variables win over the run''s');

SELECT * FROM finish();
ROLLBACK;
