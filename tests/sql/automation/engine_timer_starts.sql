-- Timer start events (docs/graph-model.md, "Timer start events"): the active version's
-- top-level timer starts are schedule triggers (trigger_source timer-start) that run_maintenance
-- fires at their due time, each repetition of a cycle once; a new version replaces them.
BEGIN;
SELECT plan(9);

CREATE TEMP TABLE g AS SELECT tests.automation_graph(
    '[["tick", "trigger", {"event": "timer", "timer": {"cycle": "R2/PT1H"}}], ["note", "notification"], ["done", "end"]]',
    '[["tick", "note"], ["note", "done"]]') AS graph;
CREATE TEMP TABLE wf1 AS SELECT tests.automation_deployed((SELECT graph FROM g), NULL, 'ticker') AS id;
SELECT results_eq($$SELECT trigger_type::text, trigger_source::text, configuration ->> 'nodeId', (configuration ->> 'remaining')::int,
                           (configuration ->> 'dueAt')::timestamptz BETWEEN now() + interval '59 minutes' AND now() + interval '61 minutes'
                    FROM automation.workflow_triggers WHERE workflow_id = (SELECT id FROM wf1)$$,
    $$VALUES ('schedule', 'timer-start', 'tick', 2, true)$$,
    'deploying schedules the timer start: first due one period from now, two repetitions');
SELECT is(automation.fire_due_schedules(), 0, 'nothing starts before it is due');
UPDATE automation.workflow_triggers SET configuration = configuration || '{"dueAt": "2000-01-01T00:00:00Z"}' WHERE workflow_id = (SELECT id FROM wf1);
SELECT is(automation.fire_due_schedules(), 1, 'when due it starts one run');
SELECT results_eq($$SELECT wi.status::text, (SELECT node_id::text FROM automation.workflow_executions e WHERE e.instance_id = wi.id ORDER BY created_at LIMIT 1)
                    FROM automation.workflow_instances wi WHERE wi.workflow_id = (SELECT id FROM wf1)$$,
    $$VALUES ('completed', 'tick')$$, 'the run starts at the timer start event');
SELECT results_eq($$SELECT (configuration ->> 'remaining')::int, (configuration ->> 'dueAt')::timestamptz, is_active
                    FROM automation.workflow_triggers WHERE workflow_id = (SELECT id FROM wf1)$$,
    $$VALUES (1, '2000-01-01T01:00:00Z'::timestamptz, true)$$, 'the next repetition is one period after the last due time');
SELECT is(automation.fire_due_schedules(), 1, 'the second repetition fires');
SELECT is((SELECT is_active FROM automation.workflow_triggers WHERE workflow_id = (SELECT id FROM wf1)), false,
    'after the last repetition the timer start is done');

-- a new version replaces the timers of the old one
SELECT set_config('app.current_user_id', 'modeler', true);
CREATE TEMP TABLE wf2 AS SELECT automation.save_workflow(jsonb_set((SELECT graph FROM g), '{nodes,0,data,timer}', '{"duration": "PT5M"}'),
                                                         'ticker', (SELECT id FROM wf1)) AS id;
SELECT automation.deploy_workflow((SELECT id FROM wf2));
SELECT set_config('app.current_user_id', '', true);
SELECT results_eq($$SELECT workflow_id, configuration #>> '{timer,duration}' FROM automation.workflow_triggers WHERE trigger_source = 'timer-start'$$,
    $$SELECT id, 'PT5M' FROM wf2$$, 'only the active version''s timer start is scheduled');

SELECT throws_ok($$SELECT automation.validate_workflow_graph(tests.automation_graph(
    '[["tick", "trigger", {"event": "timer", "timer": {"date": "{{when}}"}}], ["done", "end"]]', '[["tick", "done"]]'))$$,
    'PW422', 'timer start event tick: its timer is scheduled at deployment, before any run data exists, so it cannot read {{...}}',
    'a timer start cannot read run data');

SELECT * FROM finish();
ROLLBACK;
