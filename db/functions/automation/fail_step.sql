-- A worker reports that an external step failed. A business failure names a BPMN error code
-- (p_error_code): it is never retried; the step fails and the error is thrown at its activity,
-- where an error boundary event or an error event sub-process catches it (engine_throw), else
-- the run fails with that code. A retryable failure with retries left goes back to pending with
-- exponential backoff (configuration.retryBackoffSeconds * 2^retry, at most one hour); otherwise
-- the step fails and so does the run. Only the worker holding the lease reports (p_worker_id;
-- NULL is refused with PW400). Called by the worker (pgwf_worker).
CREATE OR REPLACE FUNCTION automation.fail_step(
    p_execution_id uuid,
    p_error text,
    p_retryable boolean DEFAULT true,
    p_worker_id varchar DEFAULT NULL,
    p_error_code varchar DEFAULT NULL
)
RETURNS varchar
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_step automation.workflow_executions;
    v_base numeric;
    v_now timestamptz := clock_timestamp();
    v_run automation.workflow_instances;
    v_token automation.workflow_tokens;
    v_problem text;
BEGIN
    IF p_error IS NULL OR btrim(p_error) = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_error must say what went wrong';
    END IF;
    IF p_error_code IS NOT NULL AND (btrim(p_error_code) = '' OR length(p_error_code) > 255) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = 'p_error_code must be a BPMN error code of 1 to 255 characters (or NULL for a technical failure)';
    END IF;
    SELECT * INTO v_step FROM automation.engine_lock_leased_step(p_execution_id, p_worker_id);

    IF p_error_code IS NULL AND COALESCE(p_retryable, true) AND v_step.retry_count < v_step.max_retries THEN
        SELECT COALESCE((n.configuration ->> 'retryBackoffSeconds')::numeric,
                        (w.configuration ->> 'retryBackoffSeconds')::numeric, 10)
        INTO v_base
        FROM automation.workflow_instances wi
        JOIN automation.workflows w ON w.id = wi.workflow_id
        LEFT JOIN automation.workflow_nodes n ON n.workflow_id = wi.workflow_id AND n.node_id = v_step.node_id
        WHERE wi.id = v_step.instance_id;
        UPDATE automation.workflow_executions
        SET status = 'pending',
            retry_count = retry_count + 1,
            error_message = p_error,
            lease_expires_at = NULL,
            next_attempt_at = v_now + make_interval(secs => LEAST(3600, v_base * power(2, v_step.retry_count)))
        WHERE id = p_execution_id;
        RETURN 'retrying';
    END IF;

    UPDATE automation.workflow_executions
    SET status = 'failed',
        error_message = p_error,
        completed_at = v_now,
        duration_ms = floor(extract(epoch FROM (v_now - COALESCE(started_at, created_at))) * 1000)::integer,
        lease_expires_at = NULL
    WHERE id = p_execution_id;
    IF p_error_code IS NOT NULL THEN
        -- engine_lock_leased_step holds the run's row: the error is thrown at the step's token
        SELECT * INTO v_run FROM automation.workflow_instances WHERE id = v_step.instance_id;
        SELECT * INTO v_token FROM automation.workflow_tokens WHERE instance_id = v_run.id AND execution_id = p_execution_id;
        IF v_run.status IN ('running', 'paused') AND v_token.id IS NOT NULL THEN
            v_problem := automation.engine_throw(v_run, 'error', p_error_code, v_token.scope_token_id, v_token.id);
            IF v_problem IS NULL THEN
                PERFORM automation.engine_advance(v_run.id);
                RETURN 'caught';
            END IF;
            PERFORM automation.engine_fail_run(v_run.id, format('step %s (node %s): %s', p_execution_id, v_step.node_id, v_problem));
            RETURN 'failed';
        END IF;
    END IF;
    PERFORM automation.engine_fail_run(v_step.instance_id,
        format('step %s (node %s) failed%s: %s', p_execution_id, v_step.node_id,
               CASE WHEN v_step.max_retries > 0 THEN format(' after %s retries', v_step.retry_count) ELSE '' END, p_error));
    RETURN 'failed';
END;
$$;

COMMENT ON FUNCTION automation.fail_step(uuid, text, boolean, varchar, varchar) IS
    'Reports a failed attempt of a leased external step: with p_error_code a BPMN error, never retried, thrown at the step (''caught'' when an error boundary event or event sub-process takes it, else ''failed'' with the run); otherwise ''retrying'' (back to pending after retryBackoffSeconds * 2^retry_count, at most 3600 s) while retries are left and the error is retryable, else ''failed'' (the step and the run fail). PW400 (also without p_worker_id: only the lease holder reports), PW404, PW409, PW410.';

REVOKE ALL ON FUNCTION automation.fail_step(uuid, text, boolean, varchar, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.fail_step(uuid, text, boolean, varchar, varchar) TO pgwf_worker;
