-- A drawn model is checked like a BPMN one before it deploys: an approval's role and queue, a
-- task's queue must exist; the refusal names every node at fault and deploys nothing.
-- {{template}} values are left to the run; a worker node's connector is any topic.
BEGIN;
SELECT plan(8);

SELECT tests.cr_world();
SELECT tests.workflow_admin('modeler');
SELECT tests.as_user('modeler');
CREATE TEMP TABLE wf AS
SELECT automation.save_workflow(tests.automation_graph(
    '[["start", "trigger"], ["ok", "approval", {"approverRole": "NO_SUCH_ROLE"}], ["t", "task", {"queueName": "Q_NOWHERE"}],
      ["w", "action", {"input": {}}], ["done", "end"], ["no", "end"]]',
    '[["start", "ok"], ["ok", "t", "approved"], ["ok", "no", "rejected"], ["t", "w"], ["w", "done"]]'), 'refs') AS bad,
       automation.save_workflow(tests.automation_graph(
    '[["start", "trigger"], ["ok", "approval", {"approverRole": "CLAIMS_AGENT"}], ["t", "task", {"queueName": "{{variables.queue}}"}],
      ["w", "action", {"connector": "billing-sync"}], ["done", "end"], ["no", "end"]]',
    '[["start", "ok"], ["ok", "t", "approved"], ["ok", "no", "rejected"], ["t", "w"], ["w", "done"]]'), 'refs ok') AS good;
GRANT SELECT ON wf TO PUBLIC;

SELECT throws_ok($$SELECT automation.deploy_workflow((SELECT bad FROM wf))$$, 'PW422',
    'workflow refused: approval node ok: approverRole NO_SUCH_ROLE is not a workflow role; task node t: queue Q_NOWHERE does not exist',
    'deploy refuses naming each node whose role or queue does not exist');
SELECT is((SELECT count(*)::int FROM flowable.workflow_definitions WHERE deployment_id = (SELECT bad FROM wf)::text), 0,
    'and deploys nothing');
SELECT lives_ok($$SELECT automation.deploy_workflow((SELECT good FROM wf))$$,
    'an existing role with a queue, a {{template}} queue and any topic deploy');

SELECT throws_ok($$SELECT automation.validate_workflow_references(tests.automation_graph(
    '[["start", "trigger"], ["ok", "approval", {"approverRole": "CLAIMS_SUPERVISOR"}]]'))$$, 'PW422',
    'workflow refused: approval node ok: role CLAIMS_SUPERVISOR has no queue and the node names no queueName',
    'an approval whose role has no queue needs a queueName');
SELECT lives_ok($$SELECT automation.validate_workflow_references(tests.automation_graph(
    '[["start", "trigger"], ["ok", "approval", {"approverRole": "CLAIMS_SUPERVISOR", "queueName": "Q_FRAUD"}]]'))$$,
    'given one that exists, it passes');
SELECT throws_ok($$SELECT automation.validate_workflow_references(tests.automation_graph(
    '[["start", "trigger"], ["ok", "approval", {"approverRole": "CLAIMS_SUPERVISOR", "queueName": "Q_GONE"}]]'))$$, 'PW422',
    'workflow refused: approval node ok: queue Q_GONE does not exist', 'a named approval queue must exist');
SELECT throws_ok($$SELECT automation.validate_workflow_references(tests.automation_graph(
    '[["start", "trigger"], ["t", "task", {}]]'))$$, 'PW422',
    'workflow refused: task node t names no queueName', 'a task must name its queue');
SELECT lives_ok($$SELECT automation.validate_workflow_references('{"nodes": "x"}')$$,
    'a malformed graph is left to validate_workflow_graph');

SELECT * FROM finish();
ROLLBACK;
