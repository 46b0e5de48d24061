-- Workers lease external steps (action, integration) of running runs: pending ones whose
-- backoff has passed, and running ones whose lease ran out (counted in lease_expiries).
-- FOR UPDATE SKIP LOCKED lets many workers claim at once without waiting on each other.
-- p_topics (NULL: every topic) limits the lease to steps on those worker topics (the node's
-- "connector"), so a worker takes only the steps it can perform and leaves the others to the
-- workers that subscribe to their topics. Called by the worker (pgwf_worker).
CREATE OR REPLACE FUNCTION automation.claim_steps(
    p_worker_id varchar,
    p_step_types text[] DEFAULT ARRAY['action', 'integration'],
    p_lease_seconds integer DEFAULT 300,
    p_batch_size integer DEFAULT 10,
    p_topics text[] DEFAULT NULL
)
RETURNS TABLE (
    execution_id uuid,
    instance_id uuid,
    node_id varchar,
    step_type varchar,
    input_data jsonb,
    retry_count integer,
    max_retries integer,
    lease_expires_at timestamptz
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_worker_id IS NULL OR btrim(p_worker_id) = '' OR length(p_worker_id) > 100 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_worker_id must name the worker (at most 100 characters)';
    END IF;
    IF p_lease_seconds IS NULL OR p_lease_seconds < 1 OR p_lease_seconds > 86400 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_lease_seconds must be between 1 and 86400';
    END IF;
    IF p_batch_size IS NULL OR p_batch_size < 1 OR p_batch_size > 1000 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_batch_size must be between 1 and 1000';
    END IF;
    IF p_step_types IS NULL OR cardinality(p_step_types) = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_step_types must list at least one step type';
    END IF;

    RETURN QUERY
    WITH expired AS (
        -- steps whose worker's lease ran out (idx_workflow_executions_leased)
        SELECT we.id, true AS expired, we.lease_expires_at AS since
        FROM automation.workflow_executions we
        JOIN automation.workflow_instances wi ON wi.id = we.instance_id AND wi.status = 'running'
        WHERE we.status = 'running' AND we.lease_expires_at < clock_timestamp()
          AND we.step_type = ANY (p_step_types)
          AND (p_topics IS NULL OR we.input_data ->> 'connector' = ANY (p_topics))
        ORDER BY we.lease_expires_at
        LIMIT p_batch_size
        FOR UPDATE OF we SKIP LOCKED
    ), ready AS (
        -- pending steps past their backoff, oldest first (idx_workflow_executions_claimable)
        SELECT we.id, false AS expired, we.next_attempt_at AS since
        FROM automation.workflow_executions we
        JOIN automation.workflow_instances wi ON wi.id = we.instance_id AND wi.status = 'running'
        WHERE we.status = 'pending' AND we.next_attempt_at <= clock_timestamp()
          AND we.step_type = ANY (p_step_types)
          AND (p_topics IS NULL OR we.input_data ->> 'connector' = ANY (p_topics))
        ORDER BY we.next_attempt_at
        LIMIT p_batch_size
        FOR UPDATE OF we SKIP LOCKED
    ), candidates AS (
        SELECT * FROM (SELECT * FROM expired UNION ALL SELECT * FROM ready) c
        ORDER BY c.since
        LIMIT p_batch_size
    )
    UPDATE automation.workflow_executions we
    SET status = 'running',
        worker_id = p_worker_id,
        lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
        started_at = COALESCE(we.started_at, clock_timestamp()),
        lease_expiries = we.lease_expiries + CASE WHEN c.expired THEN 1 ELSE 0 END
    FROM candidates c
    WHERE we.id = c.id
    RETURNING we.id, we.instance_id, we.node_id, we.step_type, we.input_data, we.retry_count, we.max_retries,
              we.lease_expires_at;
END;
$$;

COMMENT ON FUNCTION automation.claim_steps(varchar, text[], integer, integer, text[]) IS
    'Leases up to p_batch_size claimable external steps of the given types to the worker for p_lease_seconds (SKIP LOCKED): pending steps past their backoff, and running steps whose lease expired (lease_expiries + 1). Steps of paused or stopped runs are not claimable; p_topics (NULL: all) limits the lease to those worker topics.';

REVOKE ALL ON FUNCTION automation.claim_steps(varchar, text[], integer, integer, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.claim_steps(varchar, text[], integer, integer, text[]) TO pgwf_worker;
