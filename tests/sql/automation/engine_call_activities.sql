-- Call activities (docs/graph-model.md, "Call activities"): a call node starts a child run of
-- another deployed process with the variables of its "in" mapping and waits for it; the "out"
-- mapping comes back when the child completes; an error the child does not catch is thrown at
-- the call activity; the child stops with its caller, and the caller learns when the child is
-- cancelled; an escalation the child does not catch reaches the call activity; the version is
-- picked by calledElementBinding; calls nest at most 20 deep.
BEGIN;
SELECT plan(34);

SELECT tests.cr_department('OPS');
SELECT tests.cr_queue('ops_q', 'OPS');
SELECT tests.cr_role('OPERATOR', 'ops_q', 'OPS');
SELECT tests.cr_user('ops1');
SELECT tests.cr_user('alice');
SELECT tests.cr_grant('ops1', 'OPERATOR');
SELECT tests.workflow_admin('boss');

CREATE FUNCTION pg_temp.node(p_id text, p_type text, p_data jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql AS $$
    SELECT jsonb_build_object('id', p_id, 'type', p_type, 'position', jsonb_build_object('x', 0, 'y', 0), 'data', p_data);
$$;
CREATE FUNCTION pg_temp.edge(p_id text, p_source text, p_target text) RETURNS jsonb
LANGUAGE sql AS $$ SELECT jsonb_build_object('id', p_id, 'source', p_source, 'target', p_target); $$;
CREATE FUNCTION pg_temp.task(p_id text) RETURNS jsonb
LANGUAGE sql AS $$ SELECT pg_temp.node(p_id, 'task', '{"queueName": "ops_q", "candidateGroups": ["OPERATOR"]}'); $$;
CREATE FUNCTION pg_temp.key(p_workflow_id uuid) RETURNS text
LANGUAGE sql AS $$ SELECT workflow_key FROM automation.workflows WHERE id = p_workflow_id; $$;
-- start -> call -> end, the call node with the data given
CREATE FUNCTION pg_temp.caller(p_call jsonb, p_extra_nodes jsonb DEFAULT '[]', p_extra_edges jsonb DEFAULT '[]') RETURNS uuid
LANGUAGE sql AS $$
    SELECT tests.automation_deployed(jsonb_build_object(
        'nodes', jsonb_build_array(pg_temp.node('start', 'trigger'), pg_temp.node('call', 'call', p_call), pg_temp.node('done', 'end'))
                 || p_extra_nodes,
        'edges', jsonb_build_array(pg_temp.edge('c1', 'start', 'call'), pg_temp.edge('c2', 'call', 'done')) || p_extra_edges));
$$;
CREATE FUNCTION pg_temp.finish(p_run uuid, p_key text, p_form jsonb DEFAULT '{}') RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_task varchar;
BEGIN
    SELECT task_id INTO v_task FROM flowable.workflow_tasks
    WHERE process_instance_id = p_run::text AND task_definition_key = p_key AND status IN ('OPEN', 'CLAIMED');
    PERFORM set_config('app.current_user_id', 'ops1', true);
    PERFORM flowable.claim_task(v_task);
    PERFORM flowable.complete_task(v_task, 'done', NULL, p_form);
    PERFORM set_config('app.current_user_id', '', true);
END;
$$;
CREATE FUNCTION pg_temp.child_of(p_run uuid) RETURNS uuid LANGUAGE sql AS $$
    SELECT id FROM automation.workflow_instances WHERE parent_instance_id = p_run ORDER BY created_at DESC LIMIT 1;
$$;

-- the called processes: one that ends at once, one that waits for a person, one that throws
CREATE TEMP TABLE quick AS SELECT tests.automation_deployed(jsonb_build_object(
    'nodes', jsonb_build_array(pg_temp.node('s', 'trigger'), pg_temp.node('e', 'end')),
    'edges', jsonb_build_array(pg_temp.edge('q1', 's', 'e')))) AS id;
CREATE TEMP TABLE slow AS SELECT tests.automation_deployed(jsonb_build_object(
    'nodes', jsonb_build_array(pg_temp.node('s', 'trigger'), pg_temp.task('review'), pg_temp.node('e', 'end')),
    'edges', jsonb_build_array(pg_temp.edge('w1', 's', 'review'), pg_temp.edge('w2', 'review', 'e')))) AS id;
CREATE TEMP TABLE thrower AS SELECT tests.automation_deployed(jsonb_build_object(
    'nodes', jsonb_build_array(pg_temp.node('s', 'trigger'), pg_temp.task('check'),
                               pg_temp.node('boom', 'end', '{"event": "error", "code": "E_CREDIT"}')),
    'edges', jsonb_build_array(pg_temp.edge('t1', 's', 'check'), pg_temp.edge('t2', 'check', 'boom')))) AS id;
GRANT SELECT ON quick, slow, thrower TO PUBLIC;

-- 1. a child that ends in the same transaction: in and out mappings
CREATE TEMP TABLE p1 AS SELECT pg_temp.caller(jsonb_build_object(
    'calledElement', pg_temp.key((SELECT id FROM quick)),
    'in', jsonb_build_array(jsonb_build_object('source', 'amount', 'target', 'amount'),
                            jsonb_build_object('sourceExpression', 'order {{orderNo}}', 'target', 'label')),
    'out', jsonb_build_array(jsonb_build_object('source', 'label', 'target', 'childLabel'),
                             jsonb_build_object('source', 'missing', 'target', 'nothing')),
    'businessKey', 'BK-{{orderNo}}')) AS id;
CREATE TEMP TABLE r1 AS SELECT tests.automation_start((SELECT id FROM p1), '{"amount": 12, "orderNo": 7, "secret": "x"}') AS id;
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT id FROM r1)), 'completed',
    'a caller whose child run ends at once completes in the same transaction');
SELECT is((SELECT execution_context -> 'variables' FROM automation.workflow_instances WHERE id = pg_temp.child_of((SELECT id FROM r1))),
    '{"amount": 12, "label": "order 7"}'::jsonb, 'the child run gets only the variables of the in mapping (a source and a filled template)');
SELECT is((SELECT output_data - 'amount' - 'orderNo' - 'secret' FROM automation.workflow_instances WHERE id = (SELECT id FROM r1)),
    '{"childLabel": "order 7", "nothing": null}'::jsonb, 'the out mapping sets the caller''s variables, null for a variable the child never set');
SELECT results_eq(format($$SELECT wi.workflow_id, wi.parent_execution_id = (SELECT id FROM automation.workflow_executions
                                                                             WHERE instance_id = %L AND node_id = 'call'),
                                  wi.triggered_by::text, wi.trigger_source::text
                           FROM automation.workflow_instances wi WHERE wi.parent_instance_id = %L$$, (SELECT id FROM r1), (SELECT id FROM r1)),
    format($$VALUES (%L::uuid, true, 'alice', 'call')$$, (SELECT id FROM quick)),
    'the child run is of the called version, points at the call step, and was started by the caller''s starter as a call');
SELECT results_eq(format($$SELECT parent_process_id::text, super_process_id::text, business_key::text FROM flowable.process_instances
                           WHERE process_instance_id = %L$$, pg_temp.child_of((SELECT id FROM r1))),
    format($$VALUES (%L, %L, 'BK-7')$$, (SELECT id FROM r1), (SELECT id FROM r1)),
    'its process instance names the caller as parent and root, with the business key filled from the caller''s data');
SELECT is((SELECT output_data ->> 'calledRunId' FROM automation.workflow_executions WHERE instance_id = (SELECT id FROM r1) AND node_id = 'call'),
    pg_temp.child_of((SELECT id FROM r1))::text, 'the completed call step names the child run');

-- 2. a child that waits: the caller waits in its call step and goes on when the child completes
CREATE TEMP TABLE p2 AS SELECT pg_temp.caller(jsonb_build_object(
    'calledElement', '{{which}}', 'inheritVariables', true, 'inheritBusinessKey', true,
    'out', jsonb_build_array(jsonb_build_object('all', true)))) AS id;
CREATE TEMP TABLE r2 AS SELECT tests.automation_start((SELECT id FROM p2), jsonb_build_object('which', pg_temp.key((SELECT id FROM slow)), 'n', 1)) AS id;
SELECT results_eq(format($$SELECT e.status::text, t.state::text FROM automation.workflow_executions e
                           JOIN automation.workflow_tokens t ON t.execution_id = e.id
                           WHERE e.instance_id = %L AND e.node_id = 'call'$$, (SELECT id FROM r2)),
    $$VALUES ('running', 'waiting')$$, 'while the child waits, the call step runs and the caller''s token waits in it');
SELECT is((SELECT execution_context -> 'variables' ->> 'n' FROM automation.workflow_instances WHERE id = pg_temp.child_of((SELECT id FROM r2))),
    '1', 'inheritVariables passes every variable of the caller; calledElement may be a template');
SELECT pg_temp.finish(pg_temp.child_of((SELECT id FROM r2)), 'review', '{"verdict": "fine"}');
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT id FROM r2)), 'completed',
    'when the child completes, the caller moves on from the call activity and completes');
SELECT is((SELECT output_data ->> 'verdict' FROM automation.workflow_instances WHERE id = (SELECT id FROM r2)), 'fine',
    'an out mapping of all takes every variable of the child back');

-- 3. an error the child throws is caught by an error boundary event on the call activity
CREATE TEMP TABLE p3 AS SELECT pg_temp.caller(jsonb_build_object('calledElement', pg_temp.key((SELECT id FROM thrower))),
    jsonb_build_array(pg_temp.node('credit', 'event', '{"event": "error", "code": "E_CREDIT", "attachedTo": "call"}'),
                      pg_temp.task('manual_credit'), pg_temp.node('handled', 'end')),
    jsonb_build_array(pg_temp.edge('c3', 'credit', 'manual_credit'), pg_temp.edge('c4', 'manual_credit', 'handled'))) AS id;
CREATE TEMP TABLE r3 AS SELECT tests.automation_start((SELECT id FROM p3)) AS id;
SELECT pg_temp.finish(pg_temp.child_of((SELECT id FROM r3)), 'check');
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = pg_temp.child_of((SELECT id FROM r3))), 'failed',
    'the child run that threw an error nobody in it caught has failed');
SELECT results_eq(format($$SELECT wi.status::text, (SELECT string_agg(task_definition_key, ' ') FROM flowable.workflow_tasks
                                                     WHERE process_instance_id = wi.id::text AND status = 'OPEN')
                           FROM automation.workflow_instances wi WHERE wi.id = %L$$, (SELECT id FROM r3)),
    $$VALUES ('running', 'manual_credit')$$, 'the error is thrown at the call activity and its error boundary event takes the token');
SELECT matches((SELECT status || ': ' || error_message FROM automation.workflow_executions WHERE instance_id = (SELECT id FROM r3) AND node_id = 'call'),
    '^failed: the called run .* was failed: error ''E_CREDIT'' was thrown', 'the call step failed with the child''s reason');

-- 4. an error neither the child nor the caller catches fails the caller with the same error
CREATE TEMP TABLE p4 AS SELECT pg_temp.caller(jsonb_build_object('calledElement', pg_temp.key((SELECT id FROM thrower)))) AS id;
CREATE TEMP TABLE r4 AS SELECT tests.automation_start((SELECT id FROM p4)) AS id;
SELECT pg_temp.finish(pg_temp.child_of((SELECT id FROM r4)), 'check');
SELECT results_eq(format($$SELECT status::text, error_details FROM automation.workflow_instances WHERE id = %L$$, (SELECT id FROM r4)),
    $$VALUES ('failed', 'error ''E_CREDIT'' was thrown and no boundary event caught it')$$,
    'an uncaught error travels on to the caller (and from there to its caller)');

-- 5. cancelling the caller cancels the child and its task
CREATE TEMP TABLE r5 AS SELECT tests.automation_start((SELECT id FROM p2), jsonb_build_object('which', pg_temp.key((SELECT id FROM slow)))) AS id;
CREATE TEMP TABLE c5 AS SELECT pg_temp.child_of((SELECT id FROM r5)) AS id;
SELECT set_config('app.current_user_id', 'alice', true);
SELECT is(automation.cancel_workflow((SELECT id FROM r5), 'not needed'), 'cancelled', 'the caller is cancelled');
SELECT set_config('app.current_user_id', '', true);
SELECT results_eq(format($$SELECT wi.status::text, (SELECT status::text FROM flowable.workflow_tasks WHERE process_instance_id = wi.id::text)
                           FROM automation.workflow_instances wi WHERE wi.id = %L$$, (SELECT id FROM c5)),
    $$VALUES ('cancelled', 'CANCELLED')$$, 'its child run is cancelled with it, and the child''s task too');
SELECT is((SELECT engine_state -> 'events' -> 0 ->> 'by' FROM automation.workflow_instances WHERE id = (SELECT id FROM c5)), 'SYSTEM',
    'the child''s cancellation is recorded as done by SYSTEM');

-- 6. an interrupting timer boundary event on the call activity cancels the child
CREATE TEMP TABLE p6 AS SELECT pg_temp.caller(jsonb_build_object('calledElement', pg_temp.key((SELECT id FROM slow))),
    jsonb_build_array(pg_temp.node('late', 'event', '{"event": "timer", "timer": {"duration": "PT1H"}, "attachedTo": "call"}'),
                      pg_temp.node('gave_up', 'end')),
    jsonb_build_array(pg_temp.edge('c5', 'late', 'gave_up'))) AS id;
CREATE TEMP TABLE r6 AS SELECT tests.automation_start((SELECT id FROM p6)) AS id;
CREATE TEMP TABLE c6 AS SELECT pg_temp.child_of((SELECT id FROM r6)) AS id;
SELECT is((SELECT count(*)::int FROM automation.workflow_event_subscriptions WHERE instance_id = (SELECT id FROM r6) AND node_id = 'late'),
    1, 'the call activity listens to its timer boundary event while the child runs');
UPDATE automation.workflow_event_subscriptions SET due_at = now() - interval '1 minute' WHERE instance_id = (SELECT id FROM r6);
SELECT automation.fire_due_timers();
SELECT results_eq(format($$SELECT (SELECT status::text FROM automation.workflow_instances WHERE id = %L),
                                  (SELECT status::text FROM automation.workflow_instances WHERE id = %L)$$, (SELECT id FROM r6), (SELECT id FROM c6)),
    $$VALUES ('completed', 'cancelled')$$, 'the timer interrupts the call: the child is cancelled and the caller leaves by the boundary event');

-- 7. a person cancels the child: the caller fails, naming the call and the child
CREATE TEMP TABLE r7 AS SELECT tests.automation_start((SELECT id FROM p2), jsonb_build_object('which', pg_temp.key((SELECT id FROM slow)))) AS id;
SELECT set_config('app.current_user_id', 'boss', true);
SELECT is(automation.cancel_workflow(pg_temp.child_of((SELECT id FROM r7)), 'wrong order'), 'cancelled', 'a workflow admin cancels the child run');
SELECT set_config('app.current_user_id', '', true);
SELECT results_eq(format($$SELECT status::text, error_details ~ '^call activity call: the called run .* was cancelled: wrong order$'
                           FROM automation.workflow_instances WHERE id = %L$$, (SELECT id FROM r7)),
    $$VALUES ('failed', true)$$, 'the caller fails with a message naming its call activity, the child and the reason');

-- 8. a process key that nothing deployed fails the run with its name
CREATE TEMP TABLE p8 AS SELECT pg_temp.caller('{"calledElement": "no-such-process"}') AS id;
CREATE TEMP TABLE r8 AS SELECT tests.automation_start((SELECT id FROM p8)) AS id;
SELECT results_eq(format($$SELECT status::text, error_details FROM automation.workflow_instances WHERE id = %L$$, (SELECT id FROM r8)),
    $$VALUES ('failed', 'call activity call: no deployed process ''no-such-process''')$$,
    'calling a process that is not deployed fails the run, naming the call node and the key');

-- 9. calledElementBinding: latest (the active version) or a given version
SELECT set_config('app.current_user_id', 'modeler', true);
CREATE TEMP TABLE quick2 AS SELECT automation.save_workflow(jsonb_build_object(
    'nodes', jsonb_build_array(pg_temp.node('s', 'trigger'), pg_temp.node('v2', 'notification', '{"channel": "email"}'), pg_temp.node('e', 'end')),
    'edges', jsonb_build_array(pg_temp.edge('q1', 's', 'v2'), pg_temp.edge('q2', 'v2', 'e'))), 'engine test', (SELECT id FROM quick)) AS id;
SELECT automation.deploy_workflow((SELECT id FROM quick2));
SELECT set_config('app.current_user_id', '', true);
CREATE TEMP TABLE p9 AS SELECT pg_temp.caller(jsonb_build_object('calledElement', pg_temp.key((SELECT id FROM quick)))) AS id;
CREATE TEMP TABLE r9 AS SELECT tests.automation_start((SELECT id FROM p9)) AS id;
SELECT is((SELECT workflow_id FROM automation.workflow_instances WHERE id = pg_temp.child_of((SELECT id FROM r9))), (SELECT id FROM quick2),
    'the latest binding starts the active (newest) version');
CREATE TEMP TABLE p9b AS SELECT pg_temp.caller(jsonb_build_object('calledElement', pg_temp.key((SELECT id FROM quick)),
                                                                  'calledElementBinding', 'version', 'calledElementVersion', 1)) AS id;
CREATE TEMP TABLE r9b AS SELECT tests.automation_start((SELECT id FROM p9b)) AS id;
SELECT is((SELECT workflow_id FROM automation.workflow_instances WHERE id = pg_temp.child_of((SELECT id FROM r9b))), (SELECT id FROM quick),
    'the version binding starts the version it names');
CREATE TEMP TABLE p9c AS SELECT pg_temp.caller(jsonb_build_object('calledElement', pg_temp.key((SELECT id FROM quick)),
                                                                  'calledElementBinding', 'version', 'calledElementVersion', 9)) AS id;
CREATE TEMP TABLE r9c AS SELECT tests.automation_start((SELECT id FROM p9c)) AS id;
SELECT matches((SELECT error_details FROM automation.workflow_instances WHERE id = (SELECT id FROM r9c)),
    '^call activity call: no deployed process .* in version 9$', 'a version that does not exist fails the run, naming it');

-- 10. a process that calls itself without end stops at 20 calls deep
CREATE TEMP TABLE p10 AS SELECT pg_temp.caller('{"calledElement": "{{me}}", "inheritVariables": true}') AS id;
CREATE TEMP TABLE r10 AS SELECT tests.automation_start((SELECT id FROM p10), jsonb_build_object('me', pg_temp.key((SELECT id FROM p10)))) AS id;
SELECT results_eq(format($$SELECT status::text, error_details ~ 'calls nest more than 20 deep' FROM automation.workflow_instances WHERE id = %L$$, (SELECT id FROM r10)),
    $$VALUES ('failed', true)$$, 'endless recursion fails the run with the reason instead of exhausting the server');
SELECT is((SELECT count(*)::int FROM automation.workflow_instances WHERE workflow_id = (SELECT id FROM p10)), 21,
    'the chain holds 20 calls below the first run');

-- 12. an escalation the child does not catch goes on to the call activity
CREATE TEMP TABLE escalator AS SELECT tests.automation_deployed(jsonb_build_object(
    'nodes', jsonb_build_array(pg_temp.node('s', 'trigger'), pg_temp.task('check'),
                               pg_temp.node('esc', 'event', '{"event": "escalation", "code": "LATE", "throw": true}'),
                               pg_temp.task('after'), pg_temp.node('e', 'end')),
    'edges', jsonb_build_array(pg_temp.edge('x1', 's', 'check'), pg_temp.edge('x2', 'check', 'esc'),
                               pg_temp.edge('x3', 'esc', 'after'), pg_temp.edge('x4', 'after', 'e')))) AS id;
GRANT SELECT ON escalator TO PUBLIC;
CREATE TEMP TABLE p12 AS SELECT pg_temp.caller(jsonb_build_object('calledElement', pg_temp.key((SELECT id FROM escalator))),
    jsonb_build_array(pg_temp.node('late', 'event', '{"event": "escalation", "code": "LATE", "attachedTo": "call", "interrupting": false}'),
                      pg_temp.task('tell_boss'), pg_temp.node('told', 'end')),
    jsonb_build_array(pg_temp.edge('c6', 'late', 'tell_boss'), pg_temp.edge('c7', 'tell_boss', 'told'))) AS id;
CREATE TEMP TABLE r12 AS SELECT tests.automation_start((SELECT id FROM p12)) AS id;
SELECT pg_temp.finish(pg_temp.child_of((SELECT id FROM r12)), 'check');
SELECT results_eq(format($$SELECT (SELECT string_agg(task_definition_key, ' ') FROM flowable.workflow_tasks WHERE process_instance_id = %L AND status = 'OPEN'),
                                  (SELECT string_agg(task_definition_key, ' ') FROM flowable.workflow_tasks WHERE process_instance_id = %L AND status = 'OPEN')$$,
                         (SELECT id FROM r12), pg_temp.child_of((SELECT id FROM r12))),
    $$VALUES ('tell_boss', 'after')$$,
    'a non-interrupting escalation boundary on the call takes the child''s escalation while the child goes on');
SELECT pg_temp.finish(pg_temp.child_of((SELECT id FROM r12)), 'after');
SELECT pg_temp.finish((SELECT id FROM r12), 'tell_boss');
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT id FROM r12)), 'completed',
    'the caller completes once both the child and the escalation path are done');
CREATE TEMP TABLE p13 AS SELECT pg_temp.caller(jsonb_build_object('calledElement', pg_temp.key((SELECT id FROM escalator))),
    jsonb_build_array(pg_temp.node('late', 'event', '{"event": "escalation", "code": "LATE", "attachedTo": "call"}'),
                      pg_temp.node('stopped', 'end')),
    jsonb_build_array(pg_temp.edge('c6', 'late', 'stopped'))) AS id;
CREATE TEMP TABLE r13 AS SELECT tests.automation_start((SELECT id FROM p13)) AS id;
CREATE TEMP TABLE c13 AS SELECT pg_temp.child_of((SELECT id FROM r13)) AS id;
SELECT pg_temp.finish((SELECT id FROM c13), 'check');
SELECT results_eq(format($$SELECT (SELECT status::text FROM automation.workflow_instances WHERE id = %L),
                                  (SELECT status::text FROM automation.workflow_instances WHERE id = %L)$$, (SELECT id FROM r13), (SELECT id FROM c13)),
    $$VALUES ('completed', 'cancelled')$$,
    'an interrupting escalation boundary on the call cancels the child and the caller leaves by the boundary event');

-- 11. the graph rules
SELECT set_config('app.current_user_id', 'modeler', true);
SELECT throws_ok(format($$SELECT automation.save_workflow(%L, 'bad call')$$, jsonb_build_object(
    'nodes', jsonb_build_array(pg_temp.node('start', 'trigger'), pg_temp.node('call', 'call'), pg_temp.node('done', 'end')),
    'edges', jsonb_build_array(pg_temp.edge('c1', 'start', 'call'), pg_temp.edge('c2', 'call', 'done')))),
    'PW422', 'call node call: data.calledElement must name the process to call (a process key of at most 255 characters)',
    'a call node without calledElement is refused, naming the node');
SELECT throws_like(format($$SELECT automation.save_workflow(%L, 'bad call')$$, jsonb_build_object(
    'nodes', jsonb_build_array(pg_temp.node('start', 'trigger'), pg_temp.node('call', 'call', '{"calledElement": "x", "in": [{"target": "y"}]}'),
                               pg_temp.node('done', 'end')),
    'edges', jsonb_build_array(pg_temp.edge('c1', 'start', 'call'), pg_temp.edge('c2', 'call', 'done')))),
    'call node call: mapping {"target": "y"} of data.in must be%', 'a mapping with neither source nor sourceExpression is refused');
SELECT throws_like(format($$SELECT automation.save_workflow(%L, 'bad call')$$, jsonb_build_object(
    'nodes', jsonb_build_array(pg_temp.node('start', 'trigger'), pg_temp.node('call', 'call', '{"calledElement": "x", "calledElementBinding": "version"}'),
                               pg_temp.node('done', 'end')),
    'edges', jsonb_build_array(pg_temp.edge('c1', 'start', 'call'), pg_temp.edge('c2', 'call', 'done')))),
    'call node call: binding version needs data.calledElementVersion%', 'the version binding needs a version');
SELECT lives_ok(format($$SELECT automation.save_workflow(%L, 'good call')$$, jsonb_build_object(
    'nodes', jsonb_build_array(pg_temp.node('start', 'trigger'),
                               pg_temp.node('call', 'call', '{"calledElement": "later", "in": [{"all": true}], "out": [{"sourceExpression": "{{x}}", "target": "y"}]}'),
                               pg_temp.node('done', 'end')),
    'edges', jsonb_build_array(pg_temp.edge('c1', 'start', 'call'), pg_temp.edge('c2', 'call', 'done')))),
    'a call of a process not deployed yet may be saved: the key is resolved when the run gets there');
SELECT set_config('app.current_user_id', '', true);

SELECT * FROM finish();
ROLLBACK;
