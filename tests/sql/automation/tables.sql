-- The automation tables: every column of automation-schema.md with its type (timestamps as
-- timestamptz), pgwf's additions at the end, each foreign key once with the spec's ON DELETE,
-- the NOT NULLs the spec forgot, and every index the spec names.
BEGIN;
SELECT plan(49);

CREATE TEMP VIEW automation_columns AS
SELECT table_name::text AS t,
       string_agg(column_name || ' ' ||
           CASE WHEN data_type = 'character varying' THEN 'varchar(' || character_maximum_length || ')'
                WHEN data_type = 'timestamp with time zone' THEN 'timestamptz'
                ELSE data_type END, ', ' ORDER BY ordinal_position) AS cols
FROM information_schema.columns
WHERE table_schema = 'automation'
GROUP BY table_name;

SELECT tables_are('automation', ARRAY['workflows', 'workflow_nodes', 'workflow_edges', 'workflow_triggers',
    'workflow_instances', 'workflow_executions', 'workflow_approvals', 'workflow_notifications',
    'workflow_trigger_deliveries', 'webhook_refusals', 'workflow_tokens', 'workflow_event_subscriptions', 'idempotency_keys'],
    'automation holds the eight tables of the spec, the trigger delivery log and its refusal counters, the engine''s tokens and event subscriptions, and the idempotency keys');

SELECT is((SELECT cols FROM automation_columns WHERE t = 'workflows'),
    'id uuid, name varchar(255), description text, category varchar(100), version varchar(20), workflow_data jsonb, is_active boolean, is_template boolean, tags jsonb, configuration jsonb, created_by varchar(100), updated_by varchar(100), created_at timestamptz, updated_at timestamptz, workflow_key varchar(100), history_ttl_days integer',
    'workflows has the spec''s columns and types, then workflow_key and history_ttl_days');
SELECT is((SELECT cols FROM automation_columns WHERE t = 'workflow_nodes'),
    'id uuid, workflow_id uuid, node_id varchar(100), node_type varchar(50), label varchar(255), position_x integer, position_y integer, configuration jsonb, is_enabled boolean, created_at timestamptz, updated_at timestamptz, parent_node_id varchar(100)',
    'workflow_nodes has the spec''s columns and types');
SELECT is((SELECT cols FROM automation_columns WHERE t = 'workflow_edges'),
    'id uuid, workflow_id uuid, edge_id varchar(100), source_node_id varchar(100), target_node_id varchar(100), source_handle varchar(50), target_handle varchar(50), edge_type varchar(50), conditions jsonb, is_enabled boolean, created_at timestamptz, updated_at timestamptz, edge_order integer',
    'workflow_edges has the spec''s columns and types, then edge_order');
SELECT is((SELECT cols FROM automation_columns WHERE t = 'workflow_triggers'),
    'id uuid, workflow_id uuid, trigger_type varchar(50), trigger_source varchar(100), configuration jsonb, is_active boolean, last_triggered timestamptz, trigger_count integer, created_at timestamptz, updated_at timestamptz, token_hash varchar(128)',
    'workflow_triggers has the spec''s columns and types, then token_hash');
SELECT is((SELECT cols FROM automation_columns WHERE t = 'workflow_instances'),
    'id uuid, workflow_id uuid, status varchar(50), priority varchar(20), started_at timestamptz, completed_at timestamptz, paused_at timestamptz, progress integer, current_step varchar(100), execution_context jsonb, output_data jsonb, error_details text, triggered_by varchar(100), trigger_source varchar(100), execution_metrics jsonb, created_at timestamptz, updated_at timestamptz, engine_state jsonb, parent_instance_id uuid, parent_execution_id uuid, client_info jsonb',
    'workflow_instances has the spec''s columns and types, then engine_state, the call activity''s parent and the audit client_info');
SELECT is((SELECT cols FROM automation_columns WHERE t = 'workflow_executions'),
    'id uuid, instance_id uuid, node_id varchar(100), step_type varchar(50), status varchar(50), started_at timestamptz, completed_at timestamptz, duration_ms integer, input_data jsonb, output_data jsonb, error_message text, retry_count integer, max_retries integer, created_at timestamptz, updated_at timestamptz, incoming_edge_id varchar(100), worker_id varchar(100), lease_expires_at timestamptz, next_attempt_at timestamptz, lease_expiries integer',
    'workflow_executions has the spec''s columns and types, then the routing and lease columns');
SELECT is((SELECT cols FROM automation_columns WHERE t = 'workflow_approvals'),
    'id uuid, execution_id uuid, approver_role varchar(100), approver_user_id varchar(100), status varchar(50), requested_at timestamptz, responded_at timestamptz, expires_at timestamptz, approval_message text, rejection_reason text, approval_data jsonb, notifications_sent integer, created_at timestamptz, updated_at timestamptz, task_id varchar(64), client_info jsonb',
    'workflow_approvals has the spec''s columns and types, then task_id and the audit client_info');
SELECT is((SELECT cols FROM automation_columns WHERE t = 'workflow_notifications'),
    'id uuid, workflow_id uuid, instance_id uuid, execution_id uuid, notification_type varchar(50), channel varchar(50), recipients jsonb, subject varchar(255), message text, status varchar(50), sent_at timestamptz, delivered_at timestamptz, error_details text, retry_count integer, notification_data jsonb, created_at timestamptz, updated_at timestamptz, next_attempt_at timestamptz, lease_owner varchar(100), lease_expires_at timestamptz',
    'workflow_notifications has the spec''s columns and types, then the delivery lease columns');
SELECT is((SELECT cols FROM automation_columns WHERE t = 'workflow_trigger_deliveries'),
    'id uuid, trigger_id uuid, trigger_type varchar(50), idempotency_key varchar(255), source_address inet, accepted boolean, reason text, instance_id uuid, payload jsonb, received_at timestamptz',
    'workflow_trigger_deliveries logs trigger, key, address, decision, reason, run and payload');
SELECT is((SELECT cols FROM automation_columns WHERE t = 'idempotency_keys'),
    'user_id varchar(100), idempotency_key varchar(255), action varchar(100), request_hash bytea, result jsonb, created_at timestamptz',
    'idempotency_keys holds user, key, action, the arguments'' hash, the first result and when');

-- foreign keys, each once, with the spec's ON DELETE
SELECT fk_ok('automation', 'workflow_nodes', 'workflow_id', 'automation', 'workflows', 'id', 'workflow_nodes.workflow_id references workflows');
SELECT fk_ok('automation', 'workflow_edges', 'workflow_id', 'automation', 'workflows', 'id', 'workflow_edges.workflow_id references workflows');
SELECT fk_ok('automation', 'workflow_triggers', 'workflow_id', 'automation', 'workflows', 'id', 'workflow_triggers.workflow_id references workflows');
SELECT fk_ok('automation', 'workflow_instances', 'workflow_id', 'automation', 'workflows', 'id', 'workflow_instances.workflow_id references workflows');
SELECT fk_ok('automation', 'workflow_executions', 'instance_id', 'automation', 'workflow_instances', 'id', 'workflow_executions.instance_id references workflow_instances');
SELECT fk_ok('automation', 'workflow_approvals', 'execution_id', 'automation', 'workflow_executions', 'id', 'workflow_approvals.execution_id references workflow_executions');
SELECT fk_ok('automation', 'workflow_notifications', 'workflow_id', 'automation', 'workflows', 'id', 'workflow_notifications.workflow_id references workflows');
SELECT fk_ok('automation', 'workflow_notifications', 'instance_id', 'automation', 'workflow_instances', 'id', 'workflow_notifications.instance_id references workflow_instances');
SELECT fk_ok('automation', 'workflow_notifications', 'execution_id', 'automation', 'workflow_executions', 'id', 'workflow_notifications.execution_id references workflow_executions');

SELECT set_eq(
    $$SELECT c.conrelid::regclass::text, c.conname::text, c.confdeltype::text
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'automation' AND c.contype = 'f'
        AND c.conrelid::regclass::text NOT IN ('automation.workflow_trigger_deliveries', 'automation.workflow_tokens',
                                               'automation.workflow_event_subscriptions')$$,
    $$VALUES ('automation.workflow_nodes', 'fk_workflow_nodes_workflow', 'c'),
             ('automation.workflow_edges', 'fk_workflow_edges_workflow', 'c'),
             ('automation.workflow_edges', 'fk_workflow_edges_source', 'c'),
             ('automation.workflow_edges', 'fk_workflow_edges_target', 'c'),
             ('automation.workflow_triggers', 'fk_workflow_triggers_workflow', 'c'),
             ('automation.workflow_instances', 'fk_workflow_instances_workflow', 'a'),
             ('automation.workflow_instances', 'fk_workflow_instances_parent', 'c'),
             ('automation.workflow_executions', 'fk_workflow_executions_instance', 'c'),
             ('automation.workflow_approvals', 'fk_workflow_approvals_execution', 'c'),
             ('automation.workflow_notifications', 'fk_workflow_notifications_workflow', 'a'),
             ('automation.workflow_notifications', 'fk_workflow_notifications_instance', 'a'),
             ('automation.workflow_notifications', 'fk_workflow_notifications_execution', 'a')$$,
    'each foreign key of the spec exists once, under the ALTER TABLE name, with the spec''s ON DELETE (cascade or no action); edges reference their nodes; a child run goes with its parent');

-- NOT NULLs the spec forgot
SELECT col_not_null('automation', 'workflow_nodes', 'workflow_id', 'a node belongs to a workflow version');
SELECT col_not_null('automation', 'workflow_edges', 'workflow_id', 'an edge belongs to a workflow version');
SELECT col_not_null('automation', 'workflow_triggers', 'workflow_id', 'a trigger belongs to a workflow version');
SELECT col_not_null('automation', 'workflow_instances', 'workflow_id', 'a run belongs to a workflow version');
SELECT col_not_null('automation', 'workflow_executions', 'instance_id', 'a step belongs to a run');
SELECT col_not_null('automation', 'workflow_approvals', 'execution_id', 'an approval belongs to a step');
SELECT col_not_null('automation', 'workflow_instances', 'priority', 'a run''s priority cannot be NULL (NULL would pass its CHECK)');
SELECT col_not_null('automation', 'workflow_instances', 'progress', 'a run''s progress cannot be NULL (NULL would pass its CHECK)');
SELECT col_not_null('automation', 'workflow_approvals', 'status', 'an approval''s status cannot be NULL (NULL would pass its CHECK)');
SELECT col_not_null('automation', 'workflow_notifications', 'status', 'a notification''s status cannot be NULL');
SELECT col_not_null('automation', 'workflows', 'is_active', 'is_active is true or false, never unknown');
SELECT col_not_null('automation', 'workflow_nodes', 'is_enabled', 'is_enabled is true or false, never unknown');
SELECT col_not_null('automation', 'workflow_triggers', 'trigger_count', 'trigger_count is a number');
SELECT col_not_null('automation', 'workflow_executions', 'retry_count', 'retry_count is a number');
SELECT col_not_null('automation', 'workflow_executions', 'max_retries', 'max_retries is a number');
SELECT col_not_null('automation', 'workflow_approvals', 'notifications_sent', 'notifications_sent is a number');

-- defaults the spec gives
SELECT col_default_is('automation', 'workflow_instances', 'priority', 'normal', 'a run''s priority defaults to normal');
SELECT col_default_is('automation', 'workflow_approvals', 'status', 'pending', 'an approval starts pending');
SELECT col_default_is('automation', 'workflow_edges', 'edge_type', 'smoothstep', 'an edge is drawn smoothstep by default');
SELECT col_default_is('automation', 'workflows', 'version', '1.0.0', 'a model starts at version 1.0.0');

-- every index the spec names
SELECT indexes_are('automation', 'workflows', ARRAY['workflows_pkey', 'uq_workflows_key_version',
    'idx_workflows_category', 'idx_workflows_active', 'idx_workflows_template', 'idx_workflows_created_by', 'idx_workflows_name'],
    'workflows has the spec''s indexes and the version key');
SELECT indexes_are('automation', 'workflow_nodes', ARRAY['workflow_nodes_pkey', 'idx_workflow_nodes_workflow_id',
    'idx_workflow_nodes_type', 'idx_workflow_nodes_enabled', 'idx_workflow_nodes_unique', 'idx_workflow_nodes_parent'],
    'workflow_nodes has the spec''s indexes and the index of sub-process children');
SELECT indexes_are('automation', 'workflow_edges', ARRAY['workflow_edges_pkey', 'idx_workflow_edges_workflow_id',
    'idx_workflow_edges_source', 'idx_workflow_edges_target', 'idx_workflow_edges_unique',
    'idx_workflow_edges_outgoing', 'idx_workflow_edges_incoming'], 'workflow_edges has the spec''s indexes and the router''s');
SELECT indexes_are('automation', 'workflow_triggers', ARRAY['workflow_triggers_pkey', 'idx_workflow_triggers_workflow_id',
    'idx_workflow_triggers_type', 'idx_workflow_triggers_active', 'idx_workflow_triggers_source'], 'workflow_triggers has the spec''s indexes');
SELECT indexes_are('automation', 'workflow_instances', ARRAY['workflow_instances_pkey', 'idx_workflow_instances_workflow_id',
    'idx_workflow_instances_status', 'idx_workflow_instances_started_at', 'idx_workflow_instances_triggered_by',
    'idx_workflow_instances_priority', 'idx_workflow_instances_parent', 'idx_workflow_instances_finished'], 'workflow_instances has the spec''s indexes, the parent run''s and the cleanup''s');
SELECT indexes_are('automation', 'workflow_executions', ARRAY['workflow_executions_pkey', 'idx_workflow_executions_instance_id',
    'idx_workflow_executions_node_id', 'idx_workflow_executions_status', 'idx_workflow_executions_step_type',
    'idx_workflow_executions_started_at', 'idx_workflow_executions_claimable', 'idx_workflow_executions_leased'],
    'workflow_executions has the spec''s indexes and the worker claim and lease indexes');
SELECT indexes_are('automation', 'workflow_approvals', ARRAY['workflow_approvals_pkey', 'idx_workflow_approvals_execution_id',
    'idx_workflow_approvals_role', 'idx_workflow_approvals_user_id', 'idx_workflow_approvals_status',
    'idx_workflow_approvals_expires_at'], 'workflow_approvals has the spec''s indexes');
SELECT indexes_are('automation', 'workflow_notifications', ARRAY['workflow_notifications_pkey', 'idx_workflow_notifications_workflow_id',
    'idx_workflow_notifications_instance_id', 'idx_workflow_notifications_type', 'idx_workflow_notifications_channel',
    'idx_workflow_notifications_status', 'idx_workflow_notifications_deliverable', 'idx_workflow_notifications_execution_id'],
    'workflow_notifications has the spec''s indexes and the outbox delivery index');

SELECT * FROM finish();
ROLLBACK;
