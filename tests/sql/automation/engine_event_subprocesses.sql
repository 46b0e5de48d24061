-- Event sub-processes (docs/graph-model.md, "Event sub-processes"): a subprocess with
-- data.triggeredByEvent listens, while its scope lives, for the event its start names; an
-- interrupting start cancels the scope's other tokens, a non-interrupting one runs beside them;
-- an error or escalation thrown in the scope starts one before any boundary event outside it.
BEGIN;
SELECT plan(15);

SELECT tests.cr_department('OPS');
SELECT tests.cr_queue('ops_q', 'OPS');
SELECT tests.cr_role('OPERATOR', 'ops_q', 'OPS');
SELECT tests.cr_user('ops1');
SELECT tests.cr_grant('ops1', 'OPERATOR');

CREATE FUNCTION pg_temp.node(p_id text, p_type text, p_data jsonb DEFAULT '{}', p_parent text DEFAULT NULL) RETURNS jsonb
LANGUAGE sql AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object('id', p_id, 'type', p_type, 'parentId', p_parent,
                                                'position', jsonb_build_object('x', 0, 'y', 0), 'data', p_data));
$$;
CREATE FUNCTION pg_temp.edge(p_id text, p_source text, p_target text) RETURNS jsonb
LANGUAGE sql AS $$ SELECT jsonb_build_object('id', p_id, 'source', p_source, 'target', p_target); $$;
CREATE FUNCTION pg_temp.task(p_id text, p_parent text DEFAULT NULL) RETURNS jsonb
LANGUAGE sql AS $$ SELECT pg_temp.node(p_id, 'task', '{"queueName": "ops_q", "candidateGroups": ["OPERATOR"]}', p_parent); $$;
CREATE FUNCTION pg_temp.finish(p_run uuid, p_key text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_task varchar;
BEGIN
    SELECT task_id INTO v_task FROM flowable.workflow_tasks
    WHERE process_instance_id = p_run::text AND task_definition_key = p_key AND status IN ('OPEN', 'CLAIMED');
    PERFORM set_config('app.current_user_id', 'ops1', true);
    PERFORM flowable.claim_task(v_task);
    PERFORM flowable.complete_task(v_task, 'done', NULL, '{}');
    PERFORM set_config('app.current_user_id', '', true);
END;
$$;
CREATE FUNCTION pg_temp.open_tasks(p_run uuid) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(task_definition_key, ' ' ORDER BY task_definition_key), '')
    FROM flowable.workflow_tasks WHERE process_instance_id = p_run::text AND status IN ('OPEN', 'CLAIMED');
$$;

-- 1. an interrupting message event sub-process at the top level
CREATE TEMP TABLE wf1 AS SELECT tests.automation_deployed(jsonb_build_object(
    'nodes', jsonb_build_array(
        pg_temp.node('start', 'trigger'), pg_temp.task('work'), pg_temp.node('done', 'end'),
        pg_temp.node('onCancel', 'subprocess', '{"triggeredByEvent": true}'),
        pg_temp.node('cancelled', 'event', '{"start": true, "event": "message", "name": "order cancelled"}', 'onCancel'),
        pg_temp.task('refund', 'onCancel'),
        pg_temp.node('refunded', 'end', '{}', 'onCancel')),
    'edges', jsonb_build_array(pg_temp.edge('f1', 'start', 'work'), pg_temp.edge('f2', 'work', 'done'),
                               pg_temp.edge('f3', 'cancelled', 'refund'), pg_temp.edge('f4', 'refund', 'refunded')))) AS id;
CREATE TEMP TABLE r1 AS SELECT tests.automation_start((SELECT id FROM wf1)) AS id;
SELECT is((SELECT string_agg(node_id || ':' || event_type || ':' || (token_id IS NULL)::text, ' ') FROM automation.workflow_event_subscriptions
           WHERE instance_id = (SELECT id FROM r1)),
    'cancelled:message:true', 'the event sub-process of the top level listens for the whole run');
SELECT is(flowable.correlate_message('order cancelled', NULL) ->> 'correlated', 'true', 'the message is correlated to it');
SELECT is(pg_temp.open_tasks(id), 'refund', 'an interrupting start cancels the main flow and runs the event sub-process') FROM r1;
SELECT is((SELECT status FROM automation.workflow_executions WHERE instance_id = (SELECT id FROM r1) AND node_id = 'work'),
    'cancelled', 'the task it interrupted is cancelled');
SELECT pg_temp.finish(id, 'refund') FROM r1;
SELECT results_eq($$SELECT wi.status::text, (SELECT count(*)::int FROM automation.workflow_event_subscriptions s WHERE s.instance_id = wi.id)
                    FROM automation.workflow_instances wi WHERE wi.id = (SELECT id FROM r1)$$,
    $$VALUES ('completed', 0)$$, 'when it ends the run completes, and nothing listens any more');

-- 2. a non-interrupting timer event sub-process inside a sub-process
CREATE TEMP TABLE wf2 AS SELECT tests.automation_deployed(jsonb_build_object(
    'nodes', jsonb_build_array(
        pg_temp.node('start', 'trigger'), pg_temp.node('sub', 'subprocess'), pg_temp.node('done', 'end'),
        pg_temp.node('in', 'event', '{"event": "none", "start": true}', 'sub'), pg_temp.task('work', 'sub'),
        pg_temp.node('out', 'end', '{}', 'sub'),
        pg_temp.node('remind', 'subprocess', '{"triggeredByEvent": true}', 'sub'),
        pg_temp.node('every', 'event', '{"start": true, "event": "timer", "timer": {"duration": "PT1H"}, "interrupting": false}', 'remind'),
        pg_temp.task('chase', 'remind'),
        pg_temp.node('chased', 'end', '{}', 'remind')),
    'edges', jsonb_build_array(pg_temp.edge('f1', 'start', 'sub'), pg_temp.edge('f2', 'sub', 'done'),
                               pg_temp.edge('f3', 'in', 'work'), pg_temp.edge('f4', 'work', 'out'),
                               pg_temp.edge('f5', 'every', 'chase'), pg_temp.edge('f6', 'chase', 'chased')))) AS id;
CREATE TEMP TABLE r2 AS SELECT tests.automation_start((SELECT id FROM wf2)) AS id;
SELECT is((SELECT count(*)::int FROM automation.workflow_event_subscriptions s JOIN automation.workflow_tokens t ON t.id = s.token_id
           WHERE s.instance_id = (SELECT id FROM r2) AND s.node_id = 'every' AND t.node_id = 'sub'),
    1, 'an event sub-process inside a sub-process listens on the sub-process''s token');
UPDATE automation.workflow_event_subscriptions SET due_at = now() - interval '1 minute' WHERE instance_id = (SELECT id FROM r2);
SELECT is(automation.fire_due_timers(), 1, 'its timer fires');
SELECT is(pg_temp.open_tasks(id), 'chase work', 'a non-interrupting start runs beside the sub-process''s own flow') FROM r2;
SELECT pg_temp.finish(id, 'work') FROM r2;
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT id FROM r2)), 'running',
    'the sub-process waits for its event sub-process too');
SELECT pg_temp.finish(id, 'chase') FROM r2;
SELECT results_eq($$SELECT status::text FROM automation.workflow_instances WHERE id = (SELECT id FROM r2)$$,
    $$VALUES ('completed')$$, 'then it completes and the run goes on');

-- 3. an error in a sub-process is caught by its error event sub-process before the boundary outside
CREATE TEMP TABLE wf3 AS SELECT tests.automation_deployed(jsonb_build_object(
    'nodes', jsonb_build_array(
        pg_temp.node('start', 'trigger'), pg_temp.node('sub', 'subprocess'), pg_temp.node('done', 'end'),
        pg_temp.node('in', 'event', '{"event": "none", "start": true}', 'sub'),
        pg_temp.node('boom', 'end', '{"event": "error", "code": "E1"}', 'sub'),
        pg_temp.node('onError', 'subprocess', '{"triggeredByEvent": true}', 'sub'),
        pg_temp.node('caught', 'event', '{"start": true, "event": "error", "code": "E1"}', 'onError'),
        pg_temp.task('repair', 'onError'),
        pg_temp.node('repaired', 'end', '{}', 'onError'),
        pg_temp.node('outside', 'event', '{"event": "error", "attachedTo": "sub"}'),
        pg_temp.task('escalate')),
    'edges', jsonb_build_array(pg_temp.edge('f1', 'start', 'sub'), pg_temp.edge('f2', 'sub', 'done'),
                               pg_temp.edge('f3', 'in', 'boom'), pg_temp.edge('f4', 'caught', 'repair'),
                               pg_temp.edge('f5', 'repair', 'repaired'), pg_temp.edge('f6', 'outside', 'escalate'),
                               pg_temp.edge('f7', 'escalate', 'done')))) AS id;
CREATE TEMP TABLE r3 AS SELECT tests.automation_start((SELECT id FROM wf3)) AS id;
SELECT is(pg_temp.open_tasks(id), 'repair', 'the error start inside the scope catches the error, not the boundary outside') FROM r3;
SELECT pg_temp.finish(id, 'repair') FROM r3;
SELECT is(tests.automation_steps(id) LIKE '%sub:completed%done:completed%', true,
    'the sub-process then completes normally and the run leaves it by its flow') FROM r3;

-- 4. what the engine cannot run is refused at save
SELECT throws_ok($$SELECT automation.validate_workflow_graph(jsonb_build_object(
    'nodes', jsonb_build_array(pg_temp.node('start', 'trigger'), pg_temp.node('done', 'end'),
        pg_temp.node('es', 'subprocess', '{"triggeredByEvent": true}'),
        pg_temp.node('s1', 'event', '{"start": true, "event": "signal", "name": "x"}', 'es'), pg_temp.node('e1', 'end', '{}', 'es')),
    'edges', jsonb_build_array(pg_temp.edge('f1', 'start', 'done'), pg_temp.edge('f2', 's1', 'e1'), pg_temp.edge('f3', 'start', 'es'))))$$,
    'PW422', 'event sub-process es: an event sub-process has no incoming or outgoing flows', 'a flow into an event sub-process is refused');
SELECT throws_ok($$SELECT automation.validate_workflow_graph(jsonb_build_object(
    'nodes', jsonb_build_array(pg_temp.node('start', 'trigger'), pg_temp.node('done', 'end'),
        pg_temp.node('es', 'subprocess', '{"triggeredByEvent": true}'),
        pg_temp.node('s1', 'event', '{"start": true, "event": "none"}', 'es'), pg_temp.node('e1', 'end', '{}', 'es')),
    'edges', jsonb_build_array(pg_temp.edge('f1', 'start', 'done'), pg_temp.edge('f2', 's1', 'e1'))))$$,
    'PW422', 'event sub-process es: the start event of an event sub-process is a timer, message, signal, error or escalation event',
    'an event sub-process needs an event to start it');
SELECT throws_ok($$SELECT automation.validate_workflow_graph(jsonb_build_object(
    'nodes', jsonb_build_array(pg_temp.node('start', 'trigger'), pg_temp.node('done', 'end'),
        pg_temp.node('es', 'subprocess', '{"triggeredByEvent": true}'),
        pg_temp.node('s1', 'event', '{"start": true, "event": "error", "interrupting": false}', 'es'), pg_temp.node('e1', 'end', '{}', 'es')),
    'edges', jsonb_build_array(pg_temp.edge('f1', 'start', 'done'), pg_temp.edge('f2', 's1', 'e1'))))$$,
    'PW422', 'event sub-process es: an error start event always interrupts', 'an error start does not run beside the flow it broke');

SELECT * FROM finish();
ROLLBACK;
