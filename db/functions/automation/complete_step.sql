-- A worker reports that an external step succeeded, with its output; the run moves on in the
-- same transaction. The lease is the worker's: a report naming no worker (p_worker_id NULL, kept
-- as a default for the signature only) is refused with PW400, one after the lease ran out or
-- from another worker with PW410. Called by the worker (pgwf_worker).
CREATE OR REPLACE FUNCTION automation.complete_step(
    p_execution_id uuid,
    p_output jsonb DEFAULT '{}'::jsonb,
    p_worker_id varchar DEFAULT NULL
)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_step automation.workflow_executions;
BEGIN
    IF p_output IS NOT NULL AND jsonb_typeof(p_output) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_output must be a JSON object';
    END IF;
    SELECT * INTO v_step FROM automation.engine_lock_leased_step(p_execution_id, p_worker_id);
    -- the output's variables join the run's: bounded like any variable value
    IF automation.value_problem(p_output) IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('the output of step %s (node %s) is refused: %s', p_execution_id, v_step.node_id,
                             automation.value_problem(p_output));
    END IF;
    PERFORM automation.engine_finish_step(v_step.id, COALESCE(p_output, '{}'::jsonb), NULL);
END;
$$;

COMMENT ON FUNCTION automation.complete_step(uuid, jsonb, varchar) IS
    'Completes a leased external step with its output (output.variables are merged into the run''s variables) and advances the run. PW400 without p_worker_id (the lease holder must report), PW404 unknown step, PW409 not leased, PW410 lease lost or held by another worker.';

REVOKE ALL ON FUNCTION automation.complete_step(uuid, jsonb, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.complete_step(uuid, jsonb, varchar) TO pgwf_worker;
