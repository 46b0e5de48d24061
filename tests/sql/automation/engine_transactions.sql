-- Transactions (docs/graph-model.md, "Scopes"): a subprocess with data.transaction runs as an
-- embedded scope; a cancel end event inside it cancels the transaction (every token in it, their
-- tasks and steps) and the token leaves by its cancel boundary event; a transaction that ends
-- normally leaves by its outgoing flow. A cancel event anywhere else is refused.
BEGIN;
SELECT plan(8);

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
CREATE FUNCTION pg_temp.edge(p_id text, p_source text, p_target text, p_data jsonb DEFAULT NULL) RETURNS jsonb
LANGUAGE sql AS $$ SELECT jsonb_strip_nulls(jsonb_build_object('id', p_id, 'source', p_source, 'target', p_target, 'data', p_data)); $$;
CREATE FUNCTION pg_temp.task(p_id text, p_parent text DEFAULT NULL) RETURNS jsonb
LANGUAGE sql AS $$ SELECT pg_temp.node(p_id, 'task', '{"queueName": "ops_q", "candidateGroups": ["OPERATOR"]}', p_parent); $$;
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
CREATE FUNCTION pg_temp.open_tasks(p_run uuid) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(task_definition_key, ' ' ORDER BY task_definition_key), '')
    FROM flowable.workflow_tasks WHERE process_instance_id = p_run::text AND status IN ('OPEN', 'CLAIMED');
$$;
-- booking: a transaction that books a hotel while a clerk checks the payment; a failed payment
-- ends in the cancel end event
CREATE FUNCTION pg_temp.booking(p_cancel_end jsonb DEFAULT '{"event": "cancel"}', p_boundary boolean DEFAULT true) RETURNS jsonb
LANGUAGE sql AS $$
    SELECT jsonb_build_object(
        'nodes', jsonb_build_array(
            pg_temp.node('start', 'trigger'), pg_temp.node('booking', 'subprocess', '{"transaction": true}'),
            pg_temp.node('in', 'event', '{"event": "none", "start": true}', 'booking'),
            pg_temp.node('fork', 'gateway', '{"kind": "parallel"}', 'booking'),
            pg_temp.task('book_hotel', 'booking'), pg_temp.task('check_payment', 'booking'),
            pg_temp.node('paid', 'gateway', '{"kind": "exclusive"}', 'booking'),
            pg_temp.node('refused', 'end', p_cancel_end, 'booking'),
            pg_temp.node('booked', 'end', '{}', 'booking'), pg_temp.node('hotel_done', 'end', '{}', 'booking'),
            pg_temp.node('done', 'end'), pg_temp.task('tell_customer'), pg_temp.node('told', 'end'))
            || CASE WHEN p_boundary THEN jsonb_build_array(pg_temp.node('cancelled', 'event', '{"event": "cancel", "attachedTo": "booking"}'))
                    ELSE '[]'::jsonb END,
        'edges', jsonb_build_array(
            pg_temp.edge('f1', 'start', 'booking'), pg_temp.edge('f2', 'booking', 'done'),
            pg_temp.edge('f3', 'in', 'fork'), pg_temp.edge('f4', 'fork', 'book_hotel'), pg_temp.edge('f5', 'fork', 'check_payment'),
            pg_temp.edge('f6', 'book_hotel', 'hotel_done'), pg_temp.edge('f7', 'check_payment', 'paid'),
            pg_temp.edge('f8', 'paid', 'refused', '{"conditions": [{"field": "ok", "operator": "equals", "value": false}]}'),
            pg_temp.edge('f9', 'paid', 'booked', '{"default": true}'),
            pg_temp.edge('f11', 'tell_customer', 'told'))
            || CASE WHEN p_boundary THEN jsonb_build_array(pg_temp.edge('f10', 'cancelled', 'tell_customer')) ELSE '[]'::jsonb END);
$$;

CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(pg_temp.booking()) AS id;
CREATE TEMP TABLE r1 AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;
SELECT is(pg_temp.open_tasks(id), 'book_hotel check_payment', 'the transaction runs as a scope') FROM r1;
SELECT pg_temp.finish(id, 'check_payment', '{"ok": false}') FROM r1;
SELECT is(pg_temp.open_tasks(id), 'tell_customer', 'the cancel end event cancels the transaction and the run leaves by its cancel boundary event') FROM r1;
SELECT results_eq($$SELECT node_id::text, status::text FROM automation.workflow_executions
                    WHERE instance_id = (SELECT id FROM r1) AND node_id IN ('book_hotel', 'booking') ORDER BY node_id$$,
    $$VALUES ('book_hotel', 'cancelled'), ('booking', 'cancelled')$$,
    'what the transaction still had open is cancelled, and so is its step');
SELECT pg_temp.finish(id, 'tell_customer') FROM r1;
SELECT is((SELECT status FROM automation.workflow_instances WHERE id = (SELECT id FROM r1)), 'completed', 'then the run completes');

CREATE TEMP TABLE r2 AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;
SELECT pg_temp.finish(id, 'check_payment', '{"ok": true}') FROM r2;
SELECT pg_temp.finish(id, 'book_hotel') FROM r2;
SELECT results_eq($$SELECT status::text, (SELECT count(*)::int FROM automation.workflow_executions WHERE instance_id = wi.id AND node_id = 'tell_customer')
                    FROM automation.workflow_instances wi WHERE wi.id = (SELECT id FROM r2)$$,
    $$VALUES ('completed', 0)$$, 'a transaction that ends normally leaves by its outgoing flow');

SELECT tests.workflow_admin('modeler');
SELECT set_config('app.current_user_id', 'modeler', true);
SELECT throws_ok(format($$SELECT automation.save_workflow(%L, 'no boundary')$$, pg_temp.booking(p_boundary => false)), 'PW422',
    'cancel event refused: its transaction booking has no cancel boundary event to leave by',
    'a transaction with a cancel end event needs a cancel boundary event');
SELECT throws_ok(format($$SELECT automation.save_workflow(%L, 'outside')$$, jsonb_build_object(
    'nodes', jsonb_build_array(pg_temp.node('start', 'trigger'), pg_temp.node('stop', 'end', '{"event": "cancel"}')),
    'edges', jsonb_build_array(pg_temp.edge('f1', 'start', 'stop')))), 'PW422',
    'cancel event stop: a cancel end event lies directly inside a transaction sub-process (data.transaction)',
    'a cancel end event outside a transaction is refused');
SELECT throws_like(format($$SELECT automation.save_workflow(%L, 'on a task')$$, jsonb_build_object(
    'nodes', jsonb_build_array(pg_temp.node('start', 'trigger'), pg_temp.task('t'), pg_temp.node('stop', 'end'),
                               pg_temp.node('c', 'event', '{"event": "cancel", "attachedTo": "t"}')),
    'edges', jsonb_build_array(pg_temp.edge('f1', 'start', 't'), pg_temp.edge('f2', 't', 'stop'), pg_temp.edge('f3', 'c', 'stop')))),
    'cancel event c: a cancel event is a boundary event of a transaction sub-process%',
    'a cancel boundary event on a task is refused');
SELECT set_config('app.current_user_id', '', true);

SELECT * FROM finish();
ROLLBACK;
