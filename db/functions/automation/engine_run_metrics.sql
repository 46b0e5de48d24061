-- Engine helper: the execution_metrics of a run from its steps: step count, total duration and
-- per-type count and duration (ms), and the elapsed time. Called when a run stops.
CREATE OR REPLACE FUNCTION automation.engine_run_metrics(p_instance_id uuid)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    -- PL/pgSQL so the query's plan is cached (the engine calls this once per finished run)
    RETURN (
        SELECT jsonb_build_object(
            'steps', COALESCE(sum(t.n), 0),
            'total_duration_ms', COALESCE(sum(t.ms), 0),
            'by_type', COALESCE(jsonb_object_agg(t.step_type, jsonb_build_object('count', t.n, 'duration_ms', t.ms))
                                FILTER (WHERE t.step_type IS NOT NULL), '{}'::jsonb),
            'elapsed_ms', (SELECT round(extract(epoch FROM (clock_timestamp() - wi.started_at)) * 1000)::bigint
                           FROM automation.workflow_instances wi WHERE wi.id = p_instance_id))
        FROM (
            SELECT we.step_type, count(*) AS n, COALESCE(sum(we.duration_ms), 0) AS ms
            FROM automation.workflow_executions we
            WHERE we.instance_id = p_instance_id AND we.status <> 'skipped'
            GROUP BY we.step_type
        ) t);
END;
$$;

COMMENT ON FUNCTION automation.engine_run_metrics(uuid) IS
    'execution_metrics of a run: {"steps", "total_duration_ms", "by_type": {type: {"count", "duration_ms"}}, "elapsed_ms"} (skipped steps not counted).';

REVOKE ALL ON FUNCTION automation.engine_run_metrics(uuid) FROM PUBLIC;
