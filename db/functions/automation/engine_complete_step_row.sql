-- Engine helper: an open step is done: completed now, with its output (kept when p_output is
-- NULL), its duration from its start, and no lease or error left. Called by engine_finish_step,
-- engine_complete_scope and engine_fire_subscription.
CREATE OR REPLACE FUNCTION automation.engine_complete_step_row(p_execution_id uuid, p_output jsonb)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    -- internal: reached only from the engine's SECURITY DEFINER functions
    UPDATE automation.workflow_executions
    SET status = 'completed',
        output_data = COALESCE(p_output, output_data),
        completed_at = clock_timestamp(),
        started_at = COALESCE(started_at, created_at),
        duration_ms = floor(extract(epoch FROM (clock_timestamp() - COALESCE(started_at, created_at))) * 1000)::integer,
        lease_expires_at = NULL,
        error_message = NULL
    WHERE id = p_execution_id;
END;
$$;

COMMENT ON FUNCTION automation.engine_complete_step_row(uuid, jsonb) IS
    'Marks a step completed now with its output (kept when NULL) and duration; clears its lease and error.';

REVOKE ALL ON FUNCTION automation.engine_complete_step_row(uuid, jsonb) FROM PUBLIC;
