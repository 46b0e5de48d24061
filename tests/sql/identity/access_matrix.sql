-- The access matrix, read from the catalog so a new table or grant cannot slip past it:
-- every table has forced row-level security and the engine's policy; the group roles hold
-- exactly the privileges listed here; the reporting role reads no payload column; and for every
-- relation a person may read, an identity that is missing, unknown, deactivated or asserted by
-- an untrusted login sees no row at all.
BEGIN;
SELECT plan(12);

CREATE TEMP VIEW pgwf_relations AS
SELECT c.oid::regclass::text AS relation, c.oid, c.relkind, c.relrowsecurity, c.relforcerowsecurity
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN ('automation', 'entitlements', 'flowable', 'onecms') AND c.relkind IN ('r', 'p', 'v');
GRANT SELECT ON pgwf_relations TO PUBLIC;

SELECT is_empty($$SELECT relation FROM pgwf_relations WHERE relkind IN ('r', 'p') AND NOT (relrowsecurity AND relforcerowsecurity)$$,
    'every table has row-level security enabled and forced');
SELECT is_empty($$SELECT relation FROM pgwf_relations r WHERE relkind IN ('r', 'p')
                  AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = r.oid AND 'pgwf_owner'::regrole = ANY (p.polroles))$$,
    'every table has a policy for the owner role the engine runs as');

-- table-level privileges of the group roles (column-level grants are listed below)
SELECT set_eq($$
    SELECT r.relation, g.role, p.priv
    FROM pgwf_relations r
    CROSS JOIN (VALUES ('pgwf_app'), ('pgwf_worker'), ('pgwf_reporting'), ('pgwf_trusted_caller')) g(role)
    CROSS JOIN (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) p(priv)
    WHERE has_table_privilege(g.role, r.oid, p.priv)$$,
    $$VALUES
    ('automation.vw_workflow_execution_summary', 'pgwf_app', 'SELECT'), ('automation.vw_workflow_execution_summary', 'pgwf_reporting', 'SELECT'),
    ('automation.vw_workflow_performance', 'pgwf_app', 'SELECT'), ('automation.vw_workflow_performance', 'pgwf_reporting', 'SELECT'),
    ('automation.workflow_approvals', 'pgwf_app', 'SELECT'),
    ('automation.workflow_edges', 'pgwf_app', 'SELECT'),
    ('automation.workflow_event_subscriptions', 'pgwf_app', 'SELECT'),
    ('automation.workflow_executions', 'pgwf_app', 'SELECT'),
    ('automation.workflow_instances', 'pgwf_app', 'SELECT'),
    ('automation.workflow_nodes', 'pgwf_app', 'SELECT'),
    ('automation.workflow_notifications', 'pgwf_app', 'SELECT'),
    ('automation.workflow_tokens', 'pgwf_app', 'SELECT'),
    ('automation.workflows', 'pgwf_app', 'SELECT'),
    ('entitlements.departments', 'pgwf_app', 'SELECT'), ('entitlements.departments', 'pgwf_reporting', 'SELECT'),
    ('entitlements.user_workflow_roles', 'pgwf_app', 'SELECT'), ('entitlements.user_workflow_roles', 'pgwf_reporting', 'SELECT'),
    ('entitlements.users', 'pgwf_app', 'SELECT'),
    ('entitlements.workflow_roles', 'pgwf_app', 'SELECT'), ('entitlements.workflow_roles', 'pgwf_reporting', 'SELECT'),
    ('flowable.process_instances', 'pgwf_app', 'SELECT'),
    ('flowable.queue_assignments', 'pgwf_app', 'SELECT'), ('flowable.queue_assignments', 'pgwf_reporting', 'SELECT'),
    ('flowable.task_history', 'pgwf_app', 'SELECT'),
    ('flowable.v_active_tasks_by_queue', 'pgwf_app', 'SELECT'), ('flowable.v_active_tasks_by_queue', 'pgwf_reporting', 'SELECT'),
    ('flowable.v_process_performance', 'pgwf_app', 'SELECT'), ('flowable.v_process_performance', 'pgwf_reporting', 'SELECT'),
    ('flowable.v_user_workload', 'pgwf_app', 'SELECT'), ('flowable.v_user_workload', 'pgwf_reporting', 'SELECT'),
    ('flowable.workflow_definitions', 'pgwf_app', 'SELECT'), ('flowable.workflow_definitions', 'pgwf_reporting', 'SELECT'),
    ('flowable.workflow_queues', 'pgwf_app', 'SELECT'), ('flowable.workflow_queues', 'pgwf_reporting', 'SELECT'),
    ('flowable.workflow_tasks', 'pgwf_app', 'SELECT'),
    ('flowable.workflow_variables', 'pgwf_app', 'SELECT'),
    ('onecms.case_workflow_mapping', 'pgwf_app', 'SELECT')$$,
    'the group roles hold exactly the table privileges of the matrix: reads only, no worker table access');

-- the reporting role reads the columns the reporting views need, never a payload column
SELECT set_eq($$
    SELECT r.relation FROM pgwf_relations r
    WHERE NOT has_table_privilege('pgwf_reporting', r.oid, 'SELECT') AND has_any_column_privilege('pgwf_reporting', r.oid, 'SELECT')$$,
    $$VALUES ('automation.workflow_executions'), ('automation.workflow_instances'), ('automation.workflows'),
             ('entitlements.users'), ('flowable.process_instances'), ('flowable.workflow_tasks')$$,
    'the reporting role has column grants on the six tables under the reporting views');
SELECT is_empty($$
    SELECT r.relation, a.attname FROM pgwf_relations r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0
    WHERE r.relkind IN ('r', 'p') AND has_column_privilege('pgwf_reporting', r.oid, a.attnum, 'SELECT')
      AND (r.relation IN ('flowable.task_history', 'flowable.workflow_variables', 'automation.workflow_approvals',
                          'automation.workflow_notifications', 'onecms.case_workflow_mapping', 'entitlements.api_tokens')
           OR (r.relation, a.attname::text) IN (
               ('flowable.process_instances', 'variables'), ('flowable.process_instances', 'context_data'),
               ('flowable.process_instances', 'metadata'), ('flowable.workflow_tasks', 'task_data'),
               ('flowable.workflow_tasks', 'form_data'), ('flowable.workflow_tasks', 'outcome_reason'),
               ('flowable.workflow_tasks', 'metadata'), ('automation.workflow_executions', 'input_data'),
               ('automation.workflow_executions', 'output_data'), ('automation.workflow_executions', 'error_message'),
               ('automation.workflow_instances', 'execution_context'), ('automation.workflow_instances', 'output_data'),
               ('automation.workflow_instances', 'error_details'), ('automation.workflow_instances', 'engine_state'),
               ('automation.workflow_instances', 'client_info'), ('automation.workflows', 'workflow_data'),
               ('automation.workflows', 'configuration'), ('entitlements.users', 'email'), ('entitlements.users', 'metadata')))$$,
    'the reporting role reads no payload column (variables, form data, step data, comments, history, models, contact details)');
SET LOCAL ROLE pgwf_test_reporting;
SELECT lives_ok($$SELECT count(*) FROM automation.vw_workflow_execution_summary, automation.vw_workflow_performance,
                  flowable.v_active_tasks_by_queue, flowable.v_process_performance, flowable.v_user_workload$$,
    'with those grants the reporting role still reads every reporting view');
RESET ROLE;

-- every relation a group role reads has a policy that applies to that role
SELECT is_empty($$
    SELECT r.relation, g.role FROM pgwf_relations r
    CROSS JOIN (VALUES ('pgwf_app'), ('pgwf_reporting')) g(role)
    WHERE r.relkind IN ('r', 'p') AND has_any_column_privilege(g.role, r.oid, 'SELECT')
      AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = r.oid
                      AND (p.polroles = '{0}' OR g.role::regrole = ANY (p.polroles)))$$,
    'every table a group role may read has a policy for that role');

-- Identity kinds: a deactivated user (frank) who holds a task, started a run and decided an
-- approval; an unknown user (ghost) with the same; no identity; and alice asserted by a login
-- that is not trusted. None of them sees a single row of any relation a person reads.
SELECT tests.cr_world();
SELECT tests.cr_task('mx1', 'Q_CLAIMS', p_assignee_id => 'frank');
SELECT tests.cr_task('mx2', 'Q_CLAIMS', p_assignee_id => 'ghost');
SELECT tests.cr_task('mx3', 'Q_CLAIMS');
INSERT INTO flowable.workflow_variables (process_instance_id, variable_name, variable_type, variable_value)
VALUES ('pi-mx1', 'amount', 'INTEGER', '1'), ('pi-mx2', 'amount', 'INTEGER', '2');
CREATE TEMP TABLE wf AS SELECT tests.automation_workflow('mx', 'ops') AS id;
SELECT tests.automation_instance((SELECT id FROM wf), 'running', 'frank'),
       tests.automation_instance((SELECT id FROM wf), 'running', 'ghost');

-- the tables a person may read (everything granted to pgwf_app), each counted as the caller sees it
CREATE FUNCTION pg_temp.seen_by_caller() RETURNS TABLE (relation text, n bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
    v_rel text;
BEGIN
    -- a loop: one dynamic count per relation the catalog lists
    FOR v_rel IN SELECT r.relation FROM pgwf_relations r
                 WHERE has_table_privilege('pgwf_app', r.oid, 'SELECT') ORDER BY 1 LOOP
        relation := v_rel;
        EXECUTE format('SELECT count(*) FROM %s', v_rel) INTO n;
        RETURN NEXT;
    END LOOP;
END;
$fn$;

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT ok((SELECT count(*) FROM pg_temp.seen_by_caller() WHERE n > 0) >= 5,
    'an active user sees rows (the check below can fail)');
SELECT tests.as_user('frank');
SELECT is_empty($$SELECT relation FROM pg_temp.seen_by_caller() WHERE n > 0$$,
    'a deactivated user sees no row of any relation, her own task and run included');
SELECT tests.as_user('ghost');
SELECT is_empty($$SELECT relation FROM pg_temp.seen_by_caller() WHERE n > 0$$,
    'an unknown user sees no row of any relation, the task and run in her name included');
SELECT tests.as_user('');
SELECT is_empty($$SELECT relation FROM pg_temp.seen_by_caller() WHERE n > 0$$,
    'no identity sees no row of any relation');
RESET ROLE;
SET LOCAL SESSION AUTHORIZATION pgwf_test_untrusted;
SET LOCAL ROLE pgwf_app;
SELECT tests.as_user('alice');
SELECT is_empty($$SELECT relation FROM pg_temp.seen_by_caller() WHERE n > 0$$,
    'alice asserted by an untrusted login sees no row of any relation');
RESET ROLE;
SET LOCAL SESSION AUTHORIZATION DEFAULT;

SELECT * FROM finish();
ROLLBACK;
