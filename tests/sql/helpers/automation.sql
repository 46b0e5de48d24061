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

CREATE OR REPLACE FUNCTION tests.automation_graph(p_nodes jsonb, p_edges jsonb DEFAULT '[]')
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    -- p_nodes: [[id, type, data?], ...]; p_edges: [[source, target, sourceHandle?, data?], ...]
    -- edge ids are e1, e2, ... in the order given
    SELECT jsonb_build_object(
        'nodes', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                     'id', n.v ->> 0, 'type', n.v ->> 1, 'position', jsonb_build_object('x', n.ord * 100, 'y', 0),
                     'data', COALESCE(n.v -> 2, '{}'::jsonb)) ORDER BY n.ord)
                   FROM jsonb_array_elements(p_nodes) WITH ORDINALITY AS n(v, ord)), '[]'::jsonb),
        'edges', COALESCE((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                     'id', 'e' || e.ord, 'source', e.v ->> 0, 'target', e.v ->> 1,
                     'sourceHandle', e.v ->> 2, 'data', e.v -> 3)) ORDER BY e.ord)
                   FROM jsonb_array_elements(p_edges) WITH ORDINALITY AS e(v, ord)), '[]'::jsonb),
        'viewport', jsonb_build_object('x', 0, 'y', 0, 'zoom', 1));
$$;
COMMENT ON FUNCTION tests.automation_graph(jsonb, jsonb) IS 'React Flow JSON from compact lists: nodes [[id, type, data]], edges [[source, target, handle, data]] named e1, e2, ...';

CREATE OR REPLACE FUNCTION tests.automation_deployed(
    p_graph jsonb, p_configuration jsonb DEFAULT NULL, p_name varchar DEFAULT 'engine test'
) RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
    v_user text := current_setting('app.current_user_id', true);
    v_id uuid;
BEGIN
    -- saved and deployed by "modeler", a workflow_admin; the caller's identity is put back afterwards
    PERFORM tests.workflow_admin('modeler');
    PERFORM set_config('app.current_user_id', 'modeler', true);
    v_id := automation.save_workflow(p_graph, p_name, NULL, NULL, NULL, p_configuration);
    PERFORM automation.deploy_workflow(v_id);
    PERFORM set_config('app.current_user_id', COALESCE(v_user, ''), true);
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION tests.automation_deployed(jsonb, jsonb, varchar) IS 'Saves and deploys a graph (as user modeler, made a workflow_admin); returns the workflow version id.';

CREATE OR REPLACE FUNCTION tests.automation_start(p_workflow_id uuid, p_input jsonb DEFAULT '{}', p_user text DEFAULT 'alice')
RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
    v_user text := current_setting('app.current_user_id', true);
    v_id uuid;
BEGIN
    -- only an existing active user starts a run (entitlements.require_active_user)
    INSERT INTO entitlements.users (user_id, username) VALUES (p_user, p_user) ON CONFLICT (user_id) DO NOTHING;
    PERFORM set_config('app.current_user_id', p_user, true);
    v_id := automation.start_workflow(p_workflow_id, p_input);
    PERFORM set_config('app.current_user_id', COALESCE(v_user, ''), true);
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION tests.automation_start(uuid, jsonb, text) IS 'Starts a manual run as p_user (default alice, made an active user when missing); returns the run id.';

CREATE OR REPLACE FUNCTION tests.automation_steps(p_instance_id uuid)
RETURNS text LANGUAGE sql VOLATILE AS $$
    -- the run's visits in order, e.g. 'start:completed check:completed a:pending'
    SELECT string_agg(node_id || ':' || status, ' ' ORDER BY created_at, COALESCE(started_at, created_at), node_id)
    FROM automation.workflow_executions WHERE instance_id = p_instance_id;
$$;
COMMENT ON FUNCTION tests.automation_steps(uuid) IS 'The run''s step visits as "node:status" in visit order.';

CREATE OR REPLACE FUNCTION tests.automation_step_id(p_instance_id uuid, p_node_id varchar)
RETURNS uuid LANGUAGE sql VOLATILE AS $$
    SELECT id FROM automation.workflow_executions
    WHERE instance_id = p_instance_id AND node_id = p_node_id ORDER BY created_at DESC LIMIT 1;
$$;
COMMENT ON FUNCTION tests.automation_step_id(uuid, varchar) IS 'The latest visit of a node in a run.';
