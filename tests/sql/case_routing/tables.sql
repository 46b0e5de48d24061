-- The tables of case-routing-schema.md exist with the spec's columns, keys, foreign keys and
-- indexes; the decisions where the spec's DDL is wrong or silent hold.
BEGIN;
SELECT plan(48);

SELECT tables_are('entitlements', ARRAY['departments', 'users', 'workflow_roles', 'user_workflow_roles', 'api_tokens', 'identity_keys'],
    'entitlements holds departments, users, workflow_roles, user_workflow_roles (and the API''s tokens and the identity signing key)');
SELECT has_table('flowable', t, 'flowable.' || t || ' exists')
FROM unnest(ARRAY['workflow_definitions', 'process_instances', 'workflow_tasks', 'workflow_queues',
                  'queue_assignments', 'task_history', 'workflow_variables']) AS t;
SELECT has_table('onecms', 'case_workflow_mapping', 'onecms.case_workflow_mapping exists');

SELECT columns_are('entitlements', 'users',
    ARRAY['user_id', 'username', 'email', 'first_name', 'last_name', 'department_id', 'is_active', 'created_at', 'updated_at', 'metadata'],
    'entitlements.users has the columns of the spec''s ER diagram plus updated_at and metadata');
SELECT col_type_is('entitlements', 'users', 'user_id', 'character varying(50)', 'users.user_id is VARCHAR(50) like every user reference');
SELECT col_is_pk('entitlements', 'users', 'user_id', 'user_id is the primary key of users');
SELECT col_is_unique('entitlements', 'users', 'username', 'usernames are unique');
SELECT columns_are('flowable', 'workflow_tasks',
    ARRAY['task_id', 'process_instance_id', 'task_definition_key', 'task_name', 'task_type', 'queue_name', 'assignee_id',
          'candidate_groups', 'candidate_users', 'priority', 'status', 'form_key', 'created_at', 'claimed_at', 'claimed_by',
          'completed_at', 'completed_by', 'due_date', 'follow_up_date', 'escalation_level', 'escalated_at', 'task_data',
          'form_data', 'outcome', 'outcome_reason', 'metadata'],
    'workflow_tasks has exactly the spec''s columns');
SELECT col_type_is('flowable', 'workflow_tasks', 'candidate_groups', 'text[]', 'candidate_groups is TEXT[]');
SELECT col_default_is('flowable', 'workflow_tasks', 'status', 'OPEN', 'a task starts OPEN');
SELECT col_default_is('flowable', 'workflow_tasks', 'priority', '50', 'a task''s priority defaults to 50');
SELECT col_default_is('flowable', 'workflow_queues', 'sla_minutes', '480', 'a queue''s SLA defaults to 480 minutes');
SELECT is((SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
            WHERE d.adrelid = 'onecms.case_workflow_mapping'::regclass AND a.attname = 'routing_history'),
    '''[]''::jsonb', 'routing_history starts as an empty array');

-- Foreign keys: the spec's, and those it forgot (documented in docs/spec-deviations.md).
SELECT fk_ok('entitlements', 'users', 'department_id', 'entitlements', 'departments', 'department_id');
SELECT fk_ok('entitlements', 'user_workflow_roles', 'user_id', 'entitlements', 'users', 'user_id');
SELECT fk_ok('entitlements', 'user_workflow_roles', 'role_id', 'entitlements', 'workflow_roles', 'role_id');
SELECT fk_ok('entitlements', 'departments', 'parent_dept_id', 'entitlements', 'departments', 'department_id');
SELECT fk_ok('flowable', 'process_instances', 'workflow_id', 'flowable', 'workflow_definitions', 'workflow_id');
SELECT fk_ok('flowable', 'workflow_tasks', 'process_instance_id', 'flowable', 'process_instances', 'process_instance_id');
SELECT fk_ok('flowable', 'workflow_tasks', 'queue_name', 'flowable', 'workflow_queues', 'queue_name');
SELECT fk_ok('flowable', 'queue_assignments', 'queue_id', 'flowable', 'workflow_queues', 'queue_id');
SELECT fk_ok('flowable', 'queue_assignments', 'role_id', 'entitlements', 'workflow_roles', 'role_id');
SELECT hasnt_fk('flowable', 'task_history', 'task_history has no foreign key: the audit trail outlives archived tasks');
SELECT fk_ok('flowable', 'workflow_variables', 'task_id', 'flowable', 'workflow_tasks', 'task_id');
SELECT fk_ok('onecms', 'case_workflow_mapping', 'process_instance_id', 'flowable', 'process_instances', 'process_instance_id');

SELECT indexes_are('flowable', 'workflow_tasks', ARRAY[
    'workflow_tasks_pkey', 'idx_workflow_tasks_process', 'idx_workflow_tasks_assignee', 'idx_workflow_tasks_status',
    'idx_workflow_tasks_priority', 'idx_workflow_tasks_candidate_groups',
    'idx_workflow_tasks_queue_status_priority', 'idx_workflow_tasks_open_queue', 'idx_workflow_tasks_overdue'],
    'workflow_tasks has the spec''s indexes except idx_workflow_tasks_queue and idx_workflow_tasks_due_date, each covered by an index on the same leading columns');
SELECT indexes_are('flowable', 'task_history', ARRAY[
    'task_history_pkey', 'idx_task_history_process', 'idx_task_history_action_by', 'idx_task_history_action_at',
    'idx_task_history_task_action_at'],
    'task_history has the spec''s indexes except the duplicate idx_task_history_task');
SELECT is((SELECT am.amname::text FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE c.oid = 'flowable.idx_task_history_action_at'::regclass),
    'brin', 'idx_task_history_action_at is a BRIN index: history is appended in action_at order');
SELECT indexes_are('flowable', 'workflow_queues', ARRAY[
    'workflow_queues_pkey', 'uq_workflow_queues_name', 'idx_workflow_queues_dept', 'idx_workflow_queues_active'],
    'workflow_queues has the spec''s indexes except idx_workflow_queues_name, the same B-tree as uq_workflow_queues_name');
SELECT has_index('flowable', 'process_instances', 'idx_process_instances_workflow_status_started',
    'the spec''s composite index on process_instances exists');
SELECT has_index('flowable', 'process_instances', 'idx_process_instances_active', 'the spec''s partial index of active runs exists');
SELECT is((SELECT pg_get_indexdef('flowable.idx_workflow_tasks_overdue'::regclass)),
    'CREATE INDEX idx_workflow_tasks_overdue ON flowable.workflow_tasks USING btree (due_date) WHERE (((status)::text = ANY ((ARRAY[''OPEN''::character varying, ''CLAIMED''::character varying, ''ESCALATED''::character varying])::text[])) AND (due_date IS NOT NULL))',
    'idx_workflow_tasks_overdue indexes due_date of unfinished dated tasks');
SELECT throws_ok(
    $$CREATE INDEX spec_overdue ON flowable.workflow_tasks((due_date < CURRENT_TIMESTAMP)) WHERE status IN ('OPEN', 'CLAIMED') AND due_date IS NOT NULL$$,
    '42P17', NULL, 'the spec''s expression (due_date < CURRENT_TIMESTAMP) cannot be indexed: it is not immutable');

-- workflow_definitions: several versions of a key (the spec's column UNIQUE forbids a second one).
SELECT tests.cr_definition('claims_intake', 1);
SELECT lives_ok($$SELECT tests.cr_definition('claims_intake', 2)$$, 'a second version of a process_key is accepted');
SELECT throws_ok($$SELECT tests.cr_definition('claims_intake', 2)$$, '23505',
    'duplicate key value violates unique constraint "uq_workflow_definitions_key_version"',
    'the same (process_key, process_version) twice is refused');

SELECT tests.cr_world();
SELECT tests.cr_task('t1', 'Q_CLAIMS');
INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by) VALUES ('t1', 'pi-t1', 'CREATE', 'SYSTEM');
SELECT throws_ok($$SELECT tests.cr_task('t2', 'Q_NOWHERE')$$, '23503', NULL,
    'a task in a queue that does not exist is refused');
SELECT throws_ok($$SELECT tests.cr_grant('nobody', 'CLAIMS_AGENT')$$, '23503', NULL,
    'a role cannot be granted to a user that does not exist');
SELECT throws_ok($$SELECT tests.cr_grant('alice', 'CLAIMS_AGENT')$$, '23505',
    'duplicate key value violates unique constraint "uq_user_workflow_roles_user_role"',
    'a user holds a role once');
DELETE FROM entitlements.users WHERE user_id = 'dave';
SELECT is((SELECT count(*)::int FROM entitlements.user_workflow_roles WHERE user_id = 'dave'), 0,
    'deleting a user deletes their role grants');
DELETE FROM flowable.workflow_tasks WHERE task_id = 't1';
SELECT is((SELECT count(*)::int FROM flowable.task_history WHERE task_id = 't1'), 1,
    'deleting (archiving) a task keeps its history');
UPDATE flowable.workflow_queues SET queue_name = 'Q_CLAIMS_2' WHERE queue_name = 'Q_FRAUD';
SELECT lives_ok($$SELECT tests.cr_task('t3', 'Q_CLAIMS_2')$$, 'renaming a queue keeps it usable');
SELECT throws_ok(
    $$INSERT INTO flowable.workflow_variables (process_instance_id, variable_name, variable_type) VALUES ('pi-t3', 'a', 'STRING'), ('pi-t3', 'a', 'INTEGER')$$,
    '23505', 'duplicate key value violates unique constraint "uq_workflow_variables_scope_name"',
    'a process has one variable of a name');

SELECT * FROM finish();
ROLLBACK;
