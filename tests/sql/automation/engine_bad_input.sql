-- Bad input to the engine's functions is refused with a documented SQLSTATE and a message
-- naming what was wrong, and changes nothing.
BEGIN;
SELECT plan(21);

CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph('[["start", "trigger"], ["work", "action"]]', '[["start", "work"]]')) AS id;
CREATE TEMP TABLE before AS SELECT (SELECT count(*) FROM automation.workflow_instances) AS runs,
                                   (SELECT count(*) FROM flowable.process_instances) AS processes;

SELECT tests.as_user('');
SELECT throws_ok($$SELECT automation.start_workflow((SELECT id FROM wf))$$, 'PW401',
    'start_workflow needs an identity (app.current_user_id)', 'starting a run needs an identity');
SELECT throws_ok($$SELECT automation.deploy_workflow((SELECT id FROM wf))$$, 'PW401', NULL, 'deploying needs an identity');
SELECT throws_ok($$SELECT * FROM automation.save_trigger((SELECT id FROM wf), 'manual')$$, 'PW401', NULL, 'saving a trigger needs an identity');
SELECT throws_ok($$SELECT automation.approve_step(gen_random_uuid())$$, 'PW401', NULL, 'approving needs an identity');
SELECT tests.workflow_admin('alice'), tests.as_user('alice');
SELECT throws_ok($$SELECT automation.start_workflow(NULL)$$, 'PW400', 'p_workflow_id is required', 'a run needs a workflow id');
SELECT throws_ok($$SELECT automation.start_workflow((SELECT id FROM wf), '[1, 2]')$$, 'PW400', 'the run input must be a JSON object',
    'a run''s input must be an object');
SELECT throws_ok($$SELECT automation.start_workflow((SELECT id FROM wf), '{}', 'urgent')$$, 'PW400',
    'priority ''urgent'' is not one of low, normal, high, critical', 'an unknown priority is refused, named');
SELECT throws_ok($$SELECT automation.start_workflow(gen_random_uuid())$$, 'PW404', NULL, 'an unknown workflow is not found');
SELECT results_eq($$SELECT (SELECT count(*) FROM automation.workflow_instances), (SELECT count(*) FROM flowable.process_instances)$$,
    $$SELECT runs, processes FROM before$$, 'refused starts wrote no run and no process instance');
SELECT throws_ok($$SELECT automation.deploy_workflow(gen_random_uuid())$$, 'PW404', NULL, 'deploying an unknown workflow is refused');
SELECT throws_ok($$SELECT automation.deploy_workflow(automation.save_workflow(tests.automation_graph('[["t", "trigger"]]'), 'tpl', NULL, NULL, NULL, NULL, NULL, true))$$,
    'PW409', NULL, 'a template is never deployed');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"]]'), '  ')$$, 'PW400', NULL, 'a model needs a name');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph('[["t", "trigger"]]'), 'x', NULL, NULL, NULL, '{"maxSteps": 0}')$$,
    'PW422', NULL, 'maxSteps must be positive');
SELECT throws_ok($$SELECT * FROM automation.save_trigger((SELECT id FROM wf), 'cron')$$, 'PW422',
    'trigger_type ''cron'' is not one of schedule, event, webhook, manual', 'an unknown trigger type is refused');
SELECT throws_ok($$SELECT * FROM automation.save_trigger(gen_random_uuid(), 'manual')$$, 'PW404', NULL, 'a trigger of an unknown workflow is refused');
SELECT throws_ok($$SELECT * FROM automation.save_trigger((SELECT id FROM wf), 'schedule', '{"cronExpression": "0 25 * * *"}')$$, 'PW422',
    'cron field ''25'': ''25'' is outside 0-23', 'a schedule with an impossible hour is refused, naming the field');
SELECT throws_ok($$SELECT * FROM automation.publish_event('', 'x', '{}')$$, 'PW400', NULL, 'an event needs a source');
SELECT throws_ok($$SELECT * FROM automation.publish_event('tenable', 'x', '"text"')$$, 'PW400', NULL, 'an event payload must be an object');
SELECT throws_ok($$SELECT automation.approve_step(gen_random_uuid())$$, 'PW404', NULL, 'an unknown approval is not found');
SELECT throws_ok($$SELECT automation.complete_step(tests.automation_step_id(tests.automation_start((SELECT id FROM wf)), 'work'), '[]')$$,
    'PW400', 'p_output must be a JSON object', 'a step output must be an object');
SELECT throws_ok($$SELECT automation.fail_step(gen_random_uuid(), '')$$, 'PW400', NULL, 'a failure must say what went wrong');

SELECT * FROM finish();
ROLLBACK;
