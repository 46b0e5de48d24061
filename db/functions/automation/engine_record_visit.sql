-- Engine helper: writes the step row of a visit that is over as soon as it starts (an event
-- passed, a link jumped, a gateway an event left) and returns its id. Called by the event
-- functions.
CREATE OR REPLACE FUNCTION automation.engine_record_visit(
    p_instance_id uuid, p_node_id varchar, p_node_type varchar, p_edge_id varchar, p_output jsonb
)
RETURNS uuid
LANGUAGE plpgsql
AS $$
DECLARE
    v_id uuid;
BEGIN
    -- internal: reached only from the engine's SECURITY DEFINER functions
    INSERT INTO automation.workflow_executions (instance_id, node_id, step_type, status, started_at, completed_at,
                                                duration_ms, output_data, incoming_edge_id, created_at)
    VALUES (p_instance_id, p_node_id, p_node_type, 'completed', clock_timestamp(), clock_timestamp(), 0,
            COALESCE(p_output, '{}'::jsonb), p_edge_id, clock_timestamp())
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;

COMMENT ON FUNCTION automation.engine_record_visit(uuid, varchar, varchar, varchar, jsonb) IS
    'Writes a completed step row for a visit that ends as it starts; returns its id.';

REVOKE ALL ON FUNCTION automation.engine_record_visit(uuid, varchar, varchar, varchar, jsonb) FROM PUBLIC;
