-- A worker renews the lease on a step it holds: right before it starts the step, and from a
-- heartbeat while the step's connector runs, so a step that takes longer than one lease is never
-- handed to a second worker. Refused with PW410 when the lease already ran out or another worker
-- holds the step (the worker must then not run it, or drop its result). Called by the worker
-- (pgwf_worker).
CREATE OR REPLACE FUNCTION automation.extend_step_lease(
    p_execution_id uuid,
    p_worker_id text,
    p_lease_seconds integer DEFAULT 300
)
RETURNS timestamptz
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_step automation.workflow_executions;
    v_until timestamptz;
BEGIN
    IF p_worker_id IS NULL OR btrim(p_worker_id) = '' OR length(p_worker_id) > 100 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_worker_id must name the worker (at most 100 characters)';
    END IF;
    IF p_lease_seconds IS NULL OR p_lease_seconds < 1 OR p_lease_seconds > 86400 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_lease_seconds must be between 1 and 86400';
    END IF;
    -- locks the run, then the step (the engine's lock order); PW404/PW409/PW410 as for a report
    SELECT * INTO v_step FROM automation.engine_lock_leased_step(p_execution_id, p_worker_id);
    v_until := clock_timestamp() + make_interval(secs => p_lease_seconds);
    UPDATE automation.workflow_executions
    SET lease_expires_at = GREATEST(lease_expires_at, v_until)
    WHERE id = p_execution_id
    RETURNING lease_expires_at INTO v_until;
    RETURN v_until;
END;
$$;

COMMENT ON FUNCTION automation.extend_step_lease(uuid, text, integer) IS
    'Renews the live lease of p_worker_id on a running external step to at least now + p_lease_seconds and returns the new expiry. PW400 bad argument, PW404 unknown step, PW409 not leased (completed, failed, cancelled or never claimed), PW410 lease expired or held by another worker.';

REVOKE ALL ON FUNCTION automation.extend_step_lease(uuid, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.extend_step_lease(uuid, text, integer) TO pgwf_worker;
