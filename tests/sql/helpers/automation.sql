-- Fixture builders for the automation tests: workflow versions, runs, steps and approvals
-- with defaults, inserted directly (no engine), so view, trigger and policy tests control
-- every row. Engine tests build through the engine's own functions instead.
CREATE OR REPLACE FUNCTION tests.automation_workflow(
    p_name varchar DEFAULT 'test workflow',
    p_category varchar DEFAULT 'custom',
    p_is_active boolean DEFAULT true
) RETURNS uuid LANGUAGE sql AS $$
    INSERT INTO automation.workflows (name, category, is_active, workflow_data)
    VALUES (p_name, p_category, p_is_active, '{"nodes": [], "edges": []}')
    RETURNING id;
$$;
COMMENT ON FUNCTION tests.automation_workflow(varchar, varchar, boolean) IS 'A workflow version with an empty graph.';

CREATE OR REPLACE FUNCTION tests.automation_node(
    p_workflow_id uuid, p_node_id varchar, p_node_type varchar DEFAULT 'action'
) RETURNS uuid LANGUAGE sql AS $$
    INSERT INTO automation.workflow_nodes (workflow_id, node_id, node_type, label, position_x, position_y)
    VALUES (p_workflow_id, p_node_id, p_node_type, p_node_id, 0, 0)
    RETURNING id;
$$;
COMMENT ON FUNCTION tests.automation_node(uuid, varchar, varchar) IS 'A node row (not in workflow_data).';

CREATE OR REPLACE FUNCTION tests.automation_edge(
    p_workflow_id uuid, p_source varchar, p_target varchar
) RETURNS uuid LANGUAGE sql AS $$
    INSERT INTO automation.workflow_edges (workflow_id, edge_id, source_node_id, target_node_id)
    VALUES (p_workflow_id, p_source || '->' || p_target, p_source, p_target)
    RETURNING id;
$$;
COMMENT ON FUNCTION tests.automation_edge(uuid, varchar, varchar) IS 'An unconditional edge row named source->target.';

CREATE OR REPLACE FUNCTION tests.automation_instance(
    p_workflow_id uuid,
    p_status varchar DEFAULT 'running',
    p_triggered_by varchar DEFAULT 'alice',
    p_started_at timestamptz DEFAULT now()
) RETURNS uuid LANGUAGE sql AS $$
    INSERT INTO automation.workflow_instances (workflow_id, status, triggered_by, trigger_source, started_at)
    VALUES (p_workflow_id, p_status, p_triggered_by, 'manual', p_started_at)
    RETURNING id;
$$;
COMMENT ON FUNCTION tests.automation_instance(uuid, varchar, varchar, timestamptz) IS 'A run row (no process instance).';

CREATE OR REPLACE FUNCTION tests.automation_execution(
    p_instance_id uuid,
    p_node_id varchar,
    p_status varchar DEFAULT 'completed',
    p_step_type varchar DEFAULT 'action',
    p_duration_ms integer DEFAULT NULL
) RETURNS uuid LANGUAGE sql AS $$
    INSERT INTO automation.workflow_executions (instance_id, node_id, step_type, status, started_at, duration_ms)
    VALUES (p_instance_id, p_node_id, p_step_type, p_status, clock_timestamp(), p_duration_ms)
    RETURNING id;
$$;
COMMENT ON FUNCTION tests.automation_execution(uuid, varchar, varchar, varchar, integer) IS 'A step row of a run.';

CREATE OR REPLACE FUNCTION tests.automation_approval(
    p_execution_id uuid,
    p_approver_role varchar DEFAULT 'security_team',
    p_expires_at timestamptz DEFAULT NULL,
    p_status varchar DEFAULT 'pending'
) RETURNS uuid LANGUAGE sql AS $$
    INSERT INTO automation.workflow_approvals (execution_id, approver_role, expires_at, status)
    VALUES (p_execution_id, p_approver_role, p_expires_at, p_status)
    RETURNING id;
$$;
COMMENT ON FUNCTION tests.automation_approval(uuid, varchar, timestamptz, varchar) IS 'An approval row of a step.';
