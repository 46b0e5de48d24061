-- Events (docs/graph-model.md, "Events"): timers fire once from fire_due_timers; boundary events
-- interrupt their activity or start a new token beside it; messages are correlated to one
-- waiting run; signals reach every waiting catch; errors are caught by the nearest boundary;
-- links jump; an event-based gateway takes the first of its events.
BEGIN;
SELECT plan(41);

SELECT tests.cr_department('OPS');
SELECT tests.cr_queue('ops_q', 'OPS');
SELECT tests.cr_role('OPERATOR', 'ops_q', 'OPS');
CREATE FUNCTION pg_temp.due_now(p_run uuid) RETURNS void LANGUAGE sql AS $$
    UPDATE automation.workflow_event_subscriptions SET due_at = clock_timestamp() - interval '1 second'
    WHERE instance_id = p_run AND event_type = 'timer';
$$;

-- 1. an intermediate timer event waits and fires exactly once
CREATE TEMP TABLE wf1 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["wait", "event", {"event": "timer", "timer": {"duration": "PT1H"}}], ["done", "end"]]',
    '[["start", "wait"], ["wait", "done"]]')) AS id;
CREATE TEMP TABLE r1 AS SELECT tests.automation_start((SELECT id FROM wf1)) AS id;
SELECT results_eq($$SELECT event_type::text, due_at BETWEEN now() + interval '59 minutes' AND now() + interval '61 minutes'
                    FROM automation.workflow_event_subscriptions WHERE instance_id = (SELECT id FROM r1)$$,
    $$VALUES ('timer', true)$$, 'a timer event subscribes its token with the due time of its duration');
SELECT is(tests.automation_steps(id), 'start:completed wait:running', 'the run waits in the timer event''s step') FROM r1;
SELECT is(automation.fire_due_timers(), 0, 'a timer that is not due does not fire');
SELECT pg_temp.due_now((SELECT id FROM r1));
SELECT is(automation.fire_due_timers(), 1, 'a due timer fires');
SELECT results_eq($$SELECT status::text FROM automation.workflow_instances WHERE id = (SELECT id FROM r1)$$,
    $$VALUES ('completed')$$, 'the run moves on from the timer event and completes');
SELECT is(automation.fire_due_timers(), 0, 'a fired timer never fires again');

-- 2. an interrupting timer boundary event on a task cancels the task and takes the other way
CREATE TEMP TABLE g2 AS SELECT tests.automation_graph(
    '[["start", "trigger"], ["review", "task", {"queueName": "ops_q", "candidateGroups": ["OPERATOR"]}],
      ["late", "event", {"event": "timer", "attachedTo": "review", "timer": {"duration": "P2D"}}],
      ["chase", "notification"], ["done", "end"], ["chased", "end"]]',
    '[["start", "review"], ["review", "done"], ["late", "chase"], ["chase", "chased"]]') AS g;
CREATE TEMP TABLE wf2 AS SELECT tests.automation_deployed((SELECT g FROM g2)) AS id;
CREATE TEMP TABLE r2 AS SELECT tests.automation_start((SELECT id FROM wf2)) AS id;
SELECT is((SELECT count(*) FROM automation.workflow_event_subscriptions WHERE instance_id = (SELECT id FROM r2) AND node_id = 'late'), 1::bigint,
    'a task with a timer boundary event subscribes to it while it waits');
SELECT pg_temp.due_now((SELECT id FROM r2));
SELECT is(automation.fire_due_timers(), 1, 'the boundary timer fires');
SELECT is((SELECT status FROM flowable.workflow_tasks WHERE process_instance_id = (SELECT id::text FROM r2)), 'CANCELLED',
    'an interrupting boundary event cancels the activity''s queue task');
SELECT is(tests.automation_steps(id), 'start:completed review:cancelled late:completed chase:completed chased:completed',
    'the activity''s step is cancelled and the token leaves by the boundary event''s flow') FROM r2;

-- 3. a non-interrupting timer cycle on a worker step fires once a repetition, beside the step
CREATE TEMP TABLE wf3 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["scan", "action", {"connector": "http"}],
      ["remind", "event", {"event": "timer", "attachedTo": "scan", "interrupting": false, "timer": {"cycle": "R2/PT10M"}}],
      ["ping", "notification"], ["pinged", "end"], ["done", "end"]]',
    '[["start", "scan"], ["scan", "done"], ["remind", "ping"], ["ping", "pinged"]]')) AS id;
CREATE TEMP TABLE r3 AS SELECT tests.automation_start((SELECT id FROM wf3)) AS id;
SELECT pg_temp.due_now((SELECT id FROM r3));
SELECT is(automation.fire_due_timers(), 1, 'the first repetition fires');
SELECT results_eq($$SELECT (timer ->> 'remaining')::integer, due_at > now() FROM automation.workflow_event_subscriptions WHERE instance_id = (SELECT id FROM r3)$$,
    $$VALUES (1, true)$$, 'the cycle is rescheduled with one repetition left');
SELECT pg_temp.due_now((SELECT id FROM r3));
SELECT is(automation.fire_due_timers(), 1, 'the second repetition fires');
SELECT is((SELECT count(*) FROM automation.workflow_event_subscriptions WHERE instance_id = (SELECT id FROM r3)), 0::bigint,
    'after its repetitions the cycle ends');
SELECT is((SELECT count(*) FROM automation.workflow_executions WHERE instance_id = (SELECT id FROM r3) AND node_id = 'ping'), 2::bigint,
    'each repetition sent a token down the boundary flow');
SELECT is((SELECT status FROM automation.workflow_executions WHERE id = tests.automation_step_id((SELECT id FROM r3), 'scan')), 'pending',
    'the worker step goes on meanwhile');
SELECT lives_ok($$SELECT automation.complete_step(c.execution_id, '{}', 'w1') FROM automation.claim_steps('w1', ARRAY['action'], 60, 10) c$$,
    'the worker completes the step');
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT id FROM r3)), 'completed', 'and the run completes');

-- 4. messages: a receive task waits for one message, matched by name and business key
CREATE TEMP TABLE wf4 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["paid", "receive", {"name": "payment received"}], ["done", "end"]]',
    '[["start", "paid"], ["paid", "done"]]')) AS id;
SELECT tests.as_user('alice');
CREATE TEMP TABLE r4 AS SELECT automation.start_workflow((SELECT id FROM wf4), '{"order": 1}', 'normal', 'ORD-1') AS id
    UNION ALL SELECT automation.start_workflow((SELECT id FROM wf4), '{"order": 2}', 'normal', 'ORD-2');
SELECT throws_ok($$SELECT flowable.correlate_message('payment received')$$, 'PW409',
    'message ''payment received'' matches 2 waiting catches; it must match one',
    'a message two runs wait for is refused without a business key or correlation');
SELECT is(flowable.correlate_message('payment received', 'ORD-3') ->> 'correlated', 'false',
    'a message no run waits for is reported as not correlated');
SELECT is((flowable.correlate_message('payment received', 'ORD-1', NULL, '{"amount": 99}') ->> 'instance_id')::uuid,
    (SELECT id FROM r4 LIMIT 1), 'the business key picks the run');
SELECT results_eq($$SELECT status::text, output_data -> 'amount' FROM automation.workflow_instances WHERE id = (SELECT id FROM r4 LIMIT 1)$$,
    $$VALUES ('completed', '99'::jsonb)$$, 'the run moves on with the message''s variables');
SELECT is((flowable.correlate_message('payment received', NULL, '{"order": 2}') ->> 'correlated'), 'true',
    'a correlation on the run''s variables picks the other run');
SELECT throws_ok($$SELECT flowable.correlate_message('', NULL)$$, 'PW400', NULL, 'a message without a name is refused');
SELECT throws_ok($$SELECT flowable.correlate_message('x', NULL, '[1]')$$, 'PW400', NULL, 'a correlation that is no object is refused');

-- 5. a message start event starts a run
CREATE TEMP TABLE wf5 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["byOrder", "trigger", {"event": "message", "name": "order placed"}], ["note", "notification"], ["done", "end"]]',
    '[["start", "done"], ["byOrder", "note"], ["note", "done"]]')) AS id;
SELECT is(jsonb_array_length(flowable.correlate_message('order placed', 'ORD-9', NULL, '{"sku": "A1"}') -> 'started'), 1,
    'a message nobody waits for starts the process whose start event it is');
SELECT results_eq($$SELECT pi.business_key::text, wi.trigger_source::text FROM automation.workflow_instances wi
                    JOIN flowable.process_instances pi ON pi.process_instance_id = wi.id::text
                    WHERE wi.workflow_id = (SELECT id FROM wf5)$$,
    $$VALUES ('ORD-9', 'event')$$, 'the started run has the message''s business key');
CREATE TEMP TABLE wf5b AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["byOrder", "trigger", {"event": "message", "name": "order placed"}], ["done", "end"]]', '[["byOrder", "done"]]')) AS id;
GRANT SELECT ON wf5b TO PUBLIC;
SELECT throws_ok($$SELECT tests.automation_start((SELECT id FROM wf5b))$$,
    'PW409', NULL, 'a workflow that starts only on a message is not started plainly at its message start');

-- 6. signals reach every waiting catch, in every run, and a signal throw is one of the senders
CREATE TEMP TABLE wf6 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["go", "event", {"event": "signal", "name": "market open"}], ["done", "end"]]',
    '[["start", "go"], ["go", "done"]]')) AS id;
CREATE TEMP TABLE r6 AS SELECT tests.automation_start((SELECT id FROM wf6)) AS id UNION ALL SELECT tests.automation_start((SELECT id FROM wf6));
CREATE TEMP TABLE wf6b AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["shout", "event", {"event": "signal", "name": "market open", "throw": true}], ["done", "end"]]',
    '[["start", "shout"], ["shout", "done"]]')) AS id;
SELECT tests.automation_start((SELECT id FROM wf6b));
SELECT is((SELECT count(*) FROM automation.workflow_instances WHERE id IN (SELECT id FROM r6) AND status = 'completed'), 2::bigint,
    'a signal thrown by one run moves every run waiting for it');
SELECT is(flowable.send_signal('market open') ->> 'delivered', '0', 'a signal nobody waits for is lost');

-- 7. an error end inside a sub-process is caught by the sub-process's error boundary event
CREATE TEMP TABLE g7 AS SELECT jsonb_build_object('nodes', jsonb_build_array(
        jsonb_build_object('id', 'start', 'type', 'trigger', 'position', '{"x": 0, "y": 0}'::jsonb, 'data', '{}'::jsonb),
        jsonb_build_object('id', 'sub', 'type', 'subprocess', 'position', '{"x": 100, "y": 0}'::jsonb, 'data', '{}'::jsonb),
        jsonb_build_object('id', 's1', 'type', 'trigger', 'parentId', 'sub', 'position', '{"x": 10, "y": 10}'::jsonb, 'data', '{}'::jsonb),
        jsonb_build_object('id', 'check', 'type', 'condition', 'parentId', 'sub', 'position', '{"x": 20, "y": 10}'::jsonb,
                           'data', '{"condition": {"field": "stock", "operator": "greater_than", "value": 0}}'::jsonb),
        jsonb_build_object('id', 'ok', 'type', 'end', 'parentId', 'sub', 'position', '{"x": 30, "y": 10}'::jsonb, 'data', '{}'::jsonb),
        jsonb_build_object('id', 'fail', 'type', 'end', 'parentId', 'sub', 'position', '{"x": 30, "y": 40}'::jsonb,
                           'data', '{"event": "error", "code": "OUT_OF_STOCK"}'::jsonb),
        jsonb_build_object('id', 'caught', 'type', 'event', 'position', '{"x": 150, "y": 80}'::jsonb,
                           'data', '{"event": "error", "code": "OUT_OF_STOCK", "attachedTo": "sub"}'::jsonb),
        jsonb_build_object('id', 'reorder', 'type', 'notification', 'position', '{"x": 200, "y": 80}'::jsonb, 'data', '{}'::jsonb),
        jsonb_build_object('id', 'shipped', 'type', 'end', 'position', '{"x": 300, "y": 0}'::jsonb, 'data', '{}'::jsonb),
        jsonb_build_object('id', 'back', 'type', 'end', 'position', '{"x": 300, "y": 80}'::jsonb, 'data', '{}'::jsonb)),
    'edges', jsonb_build_array(
        '{"id": "f1", "source": "start", "target": "sub"}'::jsonb, '{"id": "f2", "source": "s1", "target": "check"}'::jsonb,
        '{"id": "f3", "source": "check", "target": "ok", "sourceHandle": "true"}'::jsonb,
        '{"id": "f4", "source": "check", "target": "fail", "sourceHandle": "false"}'::jsonb,
        '{"id": "f5", "source": "sub", "target": "shipped"}'::jsonb, '{"id": "f6", "source": "caught", "target": "reorder"}'::jsonb,
        '{"id": "f7", "source": "reorder", "target": "back"}'::jsonb)) AS g;
CREATE TEMP TABLE wf7 AS SELECT tests.automation_deployed((SELECT g FROM g7)) AS id;
CREATE TEMP TABLE r7 AS SELECT tests.automation_start((SELECT id FROM wf7), '{"stock": 0}') AS id;
SELECT is(tests.automation_steps(id), 'start:completed sub:cancelled s1:completed check:completed fail:completed caught:completed reorder:completed back:completed',
    'an error end is caught by the error boundary of its sub-process, which is cancelled') FROM r7;
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT id FROM r7)), 'completed', 'the run completes on the boundary''s path');
CREATE TEMP TABLE wf7b AS SELECT tests.automation_deployed(jsonb_set((SELECT g FROM g7), '{nodes,6,data,code}', '"OTHER"')) AS id;
CREATE TEMP TABLE r7b AS SELECT tests.automation_start((SELECT id FROM wf7b), '{"stock": 0}') AS id;
SELECT results_eq($$SELECT status::text, error_details FROM automation.workflow_instances WHERE id = (SELECT id FROM r7b)$$,
    $$VALUES ('failed', 'error ''OUT_OF_STOCK'' was thrown and no boundary event caught it')$$,
    'an error no boundary event catches fails the run naming its code');

-- 8. links jump within their scope
CREATE TEMP TABLE wf8 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["jump", "event", {"event": "link", "name": "B", "throw": true}], ["land", "event", {"event": "link", "name": "B"}],
      ["done", "end"]]',
    '[["start", "jump"], ["land", "done"]]')) AS id;
SELECT is(tests.automation_steps(tests.automation_start((SELECT id FROM wf8))), 'start:completed jump:completed land:completed done:completed',
    'a link throw goes on at the link catch of the same name');

-- 9. an event-based gateway takes the first of its events and drops the others
CREATE TEMP TABLE wf9 AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["race", "gateway", {"kind": "eventBased"}],
      ["answer", "event", {"event": "message", "name": "answer"}], ["timeout", "event", {"event": "timer", "timer": {"duration": "P1D"}}],
      ["done", "end"], ["gaveup", "end"]]',
    '[["start", "race"], ["race", "answer"], ["race", "timeout"], ["answer", "done"], ["timeout", "gaveup"]]')) AS id;
CREATE TEMP TABLE r9 AS SELECT tests.automation_start((SELECT id FROM wf9)) AS id;
SELECT is((SELECT string_agg(event_type, ',' ORDER BY event_type) FROM automation.workflow_event_subscriptions WHERE instance_id = (SELECT id FROM r9)),
    'message,timer', 'the gateway waits for its message and its timer');
SELECT is(flowable.correlate_message('answer') ->> 'node_id', 'answer', 'the message arrives first');
SELECT is(tests.automation_steps(id), 'start:completed race:completed answer:completed done:completed',
    'the token goes through the message''s flow') FROM r9;
SELECT is((SELECT count(*) FROM automation.workflow_event_subscriptions WHERE instance_id = (SELECT id FROM r9)), 0::bigint,
    'the timer of the losing flow is dropped and never fires');

-- 10. bad timers are refused at save time
SELECT tests.as_user('modeler');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph(
        '[["start", "trigger"], ["wait", "event", {"event": "timer", "timer": {"duration": "in a while"}}]]', '[["start", "wait"]]'), 'bad timer')$$,
    'PW422', 'timer event wait: duration ''in a while'' is not an ISO 8601 duration such as PT10M or P1DT2H',
    'a timer duration that is no ISO 8601 duration is refused, naming the node');
SELECT throws_ok($$SELECT automation.save_workflow(tests.automation_graph(
        '[["start", "trigger"], ["wait", "event", {"event": "timer", "timer": {"cycle": "every day"}}]]', '[["start", "wait"]]'), 'bad timer')$$,
    'PW422', 'timer event wait: cycle ''every day'' is neither an ISO 8601 repetition (R3/PT10M) nor a cron expression',
    'a cycle that is neither a repetition nor cron is refused');
SELECT lives_ok($$SELECT automation.save_workflow(tests.automation_graph(
        '[["start", "trigger"], ["wait", "event", {"event": "timer", "timer": {"cycle": "0 0 9 ? * MON-FRI"}}]]', '[["start", "wait"]]'), 'cron timer')$$,
    'a Quartz cron cycle (seconds first, ?) is accepted');

SELECT * FROM finish();
ROLLBACK;
