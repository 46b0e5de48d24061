-- Makes the external steps whose worker lease ran out claimable again (pending, counted in
-- lease_expiries) and wakes the workers. Called by run_maintenance; claim_steps also takes
-- expired leases directly, so a crashed worker loses nothing even between maintenance runs.
CREATE OR REPLACE FUNCTION automation.recover_expired_leases()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_count integer;
BEGIN
    WITH expired AS (
        SELECT we.id FROM automation.workflow_executions we
        WHERE we.status = 'running' AND we.lease_expires_at < clock_timestamp()
        FOR UPDATE SKIP LOCKED
    )
    UPDATE automation.workflow_executions we
    SET status = 'pending',
        lease_expires_at = NULL,
        next_attempt_at = clock_timestamp(),
        lease_expiries = we.lease_expiries + 1
    FROM expired x
    WHERE we.id = x.id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    IF v_count > 0 THEN
        PERFORM pg_notify('pgwf_steps', json_build_object('recovered', v_count)::text);
    END IF;
    RETURN v_count;
END;
$$;

COMMENT ON FUNCTION automation.recover_expired_leases() IS
    'Puts running external steps whose lease expired back to pending (lease_expiries + 1) and notifies pgwf_steps; returns how many.';

REVOKE ALL ON FUNCTION automation.recover_expired_leases() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.recover_expired_leases() TO pgwf_worker;
