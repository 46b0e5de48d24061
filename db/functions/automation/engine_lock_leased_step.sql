-- Engine helper for worker reports: locks the run and the step, and checks that the step is an
-- external step leased to this worker with a live lease. A lease is the worker's: a report that
-- names no worker is refused like one naming another worker. Used by complete_step, fail_step
-- and extend_step_lease.
CREATE OR REPLACE FUNCTION automation.engine_lock_leased_step(p_execution_id uuid, p_worker_id varchar)
RETURNS automation.workflow_executions
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_instance_id uuid;
    v_step automation.workflow_executions;
BEGIN
    IF p_execution_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_execution_id is required';
    END IF;
    SELECT instance_id INTO v_instance_id FROM automation.workflow_executions WHERE id = p_execution_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404', MESSAGE = format('step %s does not exist', p_execution_id);
    END IF;
    PERFORM 1 FROM automation.workflow_instances WHERE id = v_instance_id FOR UPDATE;
    SELECT * INTO v_step FROM automation.workflow_executions WHERE id = p_execution_id FOR UPDATE;
    IF v_step.step_type NOT IN ('action', 'integration') THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('step %s (node %s) is a %s step, not a worker step', p_execution_id, v_step.node_id, v_step.step_type);
    END IF;
    IF p_worker_id IS NULL OR btrim(p_worker_id) = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = format('step %s (node %s) %s; a report on it must name the worker holding its lease (p_worker_id)',
                             p_execution_id, v_step.node_id,
                             CASE WHEN v_step.status = 'running' THEN format('is leased to worker %s', v_step.worker_id)
                                  ELSE format('is %s (last leased to %s)', v_step.status, COALESCE(v_step.worker_id, 'no worker')) END),
            HINT = 'Pass the worker id the step was claimed with (automation.claim_steps).';
    END IF;
    IF v_step.status = 'pending' AND v_step.lease_expiries > 0 OR
       (v_step.status = 'running' AND (v_step.lease_expires_at < clock_timestamp()
                                       OR v_step.worker_id IS DISTINCT FROM p_worker_id)) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW410',
            -- lease_expires_at is the expiry of whoever holds the step now: this worker's own
            -- expiry only while the step is still its own
            MESSAGE = format('the lease on step %s (node %s) was lost: %s', p_execution_id, v_step.node_id,
                             CASE WHEN v_step.status = 'pending'
                                      THEN 'it ran out and the step waits for a worker again'
                                  WHEN v_step.worker_id IS DISTINCT FROM p_worker_id
                                      THEN format('it ran out and the step is now held by %s, whose lease runs until %s',
                                                  v_step.worker_id, v_step.lease_expires_at)
                                  ELSE format('it expired at %s', v_step.lease_expires_at) END),
            HINT = 'Drop the result; the step is or will be run again by the worker holding the lease.';
    END IF;
    IF v_step.status <> 'running' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('step %s (node %s) is %s, not leased to a worker', p_execution_id, v_step.node_id, v_step.status);
    END IF;
    RETURN v_step;
END;
$$;

COMMENT ON FUNCTION automation.engine_lock_leased_step(uuid, varchar) IS
    'Locks run and step and returns the step when it is a worker step running under a live lease of p_worker_id. PW400 when p_worker_id is NULL or empty (naming the step and its holder), PW404 unknown, PW409 not leased, PW410 lease expired or held by another worker.';

REVOKE ALL ON FUNCTION automation.engine_lock_leased_step(uuid, varchar) FROM PUBLIC;
